/**
 * Statement grammar, left-factored by the leading keyword so that a syntax
 * error points at the first token that cannot continue the statement: the
 * statement list and dispatch, SHOW/LIST, DESCRIBE, PRINT, query control,
 * properties and variables, EXPLAIN, DELETE FROM, RUN SCRIPT (test scripts only).
 */
import { tokenMatcher, type IToken } from 'chevrotain';
import { isIdentifierToken, isTokenOf } from './base-rules.js';
import { DdlRules } from './ddl-rules.js';
import { Eq, Identifier, IntegerValue, KW, Semicolon, StringLiteral } from './tokens.js';

export class StatementRules extends DdlRules {
  /** Statements separated by `;`; the last `;` may be left out. */
  readonly statements = this.RULE('statements', () => {
    this.MANY(() => {
      this.SUBRULE(this.statement);
      this.OR([
        { ALT: () => this.CONSUME(Semicolon) },
        { GATE: () => this.LA(1).tokenType.name === 'EOF', ALT: () => {} },
      ]);
    });
  });

  /** DELETE FROM table WHERE key = value [AND ...] (beyond ksqlDB): a tombstone for one key. */
  readonly deleteStatement = this.RULE('deleteStatement', () => {
    this.CONSUME(KW.DELETE);
    this.CONSUME(KW.FROM);
    this.SUBRULE(this.identifier, { LABEL: 'target' });
    this.CONSUME(KW.WHERE);
    this.SUBRULE(this.expression, { LABEL: 'where' });
  });

  readonly singleExpression = this.RULE('singleExpression', () => {
    this.SUBRULE(this.expression);
  });

  readonly statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.deleteStatement) },
      { ALT: () => this.SUBRULE(this.listStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.printStatement) },
      { ALT: () => this.SUBRULE(this.queryControlStatement) },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.unsetStatement) },
      { ALT: () => this.SUBRULE(this.alterStatement) },
      { ALT: () => this.SUBRULE(this.defineStatement) },
      { ALT: () => this.SUBRULE(this.undefineStatement) },
      { ALT: () => this.SUBRULE(this.dropStatement) },
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.assertStatement) },
      { GATE: () => this.testStatements, ALT: () => this.SUBRULE(this.runScriptStatement) },
    ]);
  });

  readonly listStatement = this.RULE('listStatement', () => {
    this.OR([{ ALT: () => this.CONSUME(KW.LIST) }, { ALT: () => this.CONSUME(KW.SHOW) }]);
    this.OR1([
      { ALT: () => this.CONSUME(KW.PROPERTIES) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(KW.ALL));
          this.CONSUME(KW.TOPICS);
          this.OPTION1(() => this.CONSUME(KW.EXTENDED));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.STREAMS);
          this.OPTION2(() => this.CONSUME1(KW.EXTENDED));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.TABLES);
          this.OPTION3(() => this.CONSUME2(KW.EXTENDED));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.QUERIES);
          this.OPTION4(() => this.CONSUME3(KW.EXTENDED));
        },
      },
      { ALT: () => this.CONSUME(KW.FUNCTIONS) },
      { ALT: () => this.CONSUME(KW.TYPES) },
      { ALT: () => this.CONSUME(KW.VARIABLES) },
      {
        ALT: () => {
          this.OPTION5(() => {
            this.OR2([{ ALT: () => this.CONSUME(KW.SOURCE) }, { ALT: () => this.CONSUME(KW.SINK) }]);
          });
          this.CONSUME(KW.CONNECTORS);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.CONNECTOR);
          this.CONSUME(KW.PLUGINS);
        },
      },
    ]);
  });

  readonly describeStatement = this.RULE('describeStatement', () => {
    this.CONSUME(KW.DESCRIBE);
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(KW.STREAMS);
            this.OPTION(() => this.CONSUME(KW.EXTENDED));
          },
        },
        {
          GATE: () => isTokenOf(this.LA(2), KW.EXTENDED, Semicolon) || this.LA(2).tokenType.name === 'EOF',
          ALT: () => {
            this.CONSUME(KW.TABLES);
            this.OPTION1(() => this.CONSUME1(KW.EXTENDED));
          },
        },
        {
          GATE: () => isIdentifierToken(this.LA(2)),
          ALT: () => {
            this.CONSUME(KW.FUNCTION);
            this.SUBRULE(this.identifier, { LABEL: 'functionName' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(KW.CONNECTOR);
            this.SUBRULE1(this.identifier, { LABEL: 'connectorName' });
          },
        },
        {
          ALT: () => {
            this.SUBRULE2(this.identifier, { LABEL: 'sourceName' });
            this.OPTION2(() => this.CONSUME2(KW.EXTENDED));
          },
        },
      ],
    });
  });

  /** PRINT topic [FROM BEGINNING] [INTERVAL|SAMPLE n] [LIMIT n]. */
  readonly printStatement = this.RULE('printStatement', () => {
    this.CONSUME(KW.PRINT);
    this.SUBRULE(this.resourceName);
    this.OPTION(() => {
      this.CONSUME(KW.FROM);
      this.CONSUME(KW.BEGINNING);
    });
    this.OPTION1(() => {
      this.OR([{ ALT: () => this.CONSUME(KW.INTERVAL) }, { ALT: () => this.CONSUME(KW.SAMPLE) }]);
      this.CONSUME(IntegerValue, { LABEL: 'interval' });
    });
    this.OPTION2(() => {
      this.CONSUME(KW.LIMIT);
      this.CONSUME1(IntegerValue, { LABEL: 'limit' });
    });
  });

  /** TERMINATE | PAUSE | RESUME, then a query id or ALL. */
  readonly queryControlStatement = this.RULE('queryControlStatement', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.TERMINATE) },
      { ALT: () => this.CONSUME(KW.PAUSE) },
      { ALT: () => this.CONSUME(KW.RESUME) },
    ]);
    this.OR1([{ ALT: () => this.CONSUME(KW.ALL) }, { ALT: () => this.SUBRULE(this.identifier, { LABEL: 'queryId' }) }]);
  });

  readonly setStatement = this.RULE('setStatement', () => {
    this.CONSUME(KW.SET);
    this.CONSUME(StringLiteral, { LABEL: 'name' });
    this.CONSUME(Eq);
    this.CONSUME1(StringLiteral, { LABEL: 'value' });
  });

  readonly unsetStatement = this.RULE('unsetStatement', () => {
    this.CONSUME(KW.UNSET);
    this.CONSUME(StringLiteral, { LABEL: 'name' });
  });

  readonly defineStatement = this.RULE('defineStatement', () => {
    this.CONSUME(KW.DEFINE);
    this.CONSUME(Identifier);
    this.CONSUME(Eq);
    this.CONSUME(StringLiteral);
  });

  readonly undefineStatement = this.RULE('undefineStatement', () => {
    this.CONSUME(KW.UNDEFINE);
    this.CONSUME(Identifier);
  });

  /** EXPLAIN statement, or EXPLAIN query-id. */
  readonly explainStatement = this.RULE('explainStatement', () => {
    this.CONSUME(KW.EXPLAIN);
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.isQueryIdAhead(),
          ALT: () => this.SUBRULE(this.identifier, { LABEL: 'queryId' }),
        },
        { ALT: () => this.SUBRULE(this.statement) },
      ],
    });
  });

  readonly runScriptStatement = this.RULE('runScriptStatement', () => {
    this.CONSUME(KW.RUN);
    this.CONSUME(KW.SCRIPT);
    this.CONSUME(StringLiteral);
  });

  /** An identifier that ends the statement: a query id, not the start of a statement. */
  protected isQueryIdAhead(): boolean {
    const next: IToken = this.LA(2);
    return isIdentifierToken(this.LA(1)) && (tokenMatcher(next, Semicolon) || next.tokenType.name === 'EOF');
  }
}

/** The one parser instance, reused for every parse. */
export class KsqlParser extends StatementRules {
  constructor() {
    super();
    this.performSelfAnalysis();
  }
}
