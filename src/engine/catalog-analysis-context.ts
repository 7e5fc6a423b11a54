/** The analyzer's view of the catalog: sources as the analyzer knows them, types and functions. */
import type { AnalysisContext } from '../analyzer/analysis-context.js';
import type { SourceInfo } from '../analyzer/analyzed-source.js';
import { lookupFormat } from '../formats/index.js';
import type { EnginePorts } from './engine-ports.js';

export function analysisContext(ports: Pick<EnginePorts, 'catalog'>, sinkName: string | undefined): AnalysisContext {
  return {
    lookupSource: (name): SourceInfo | undefined => {
      const s = ports.catalog.metastore.getSource(name);
      return s && {
        name: s.name, kind: s.kind, schema: s.schema, windowed: s.window !== undefined, windowType: s.window?.type, windowSizeMs: s.window?.sizeMs,
        keyFromRegistry: lookupFormat(s.keyFormat.format).supportsSchemaInference === true,
      };
    },
    lookupType: (n) => ports.catalog.metastore.getType(n),
    functions: ports.catalog.functions,
    sinkName,
  };
}
