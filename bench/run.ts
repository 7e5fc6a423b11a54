/** Runs one benchmark by name: `npm run bench -- <name>`. */
const name = process.argv[2];

switch (name) {
  case 'parse': {
    const { runParseBench } = await import('./parse.js');
    runParseBench();
    break;
  }
  default:
    console.error(`unknown benchmark: ${name ?? '(none)'}; known: parse`);
    process.exitCode = 1;
}

export {};
