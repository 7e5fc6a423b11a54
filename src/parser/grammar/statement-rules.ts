/**
 * Statement grammar, left-factored by the leading keyword so that a syntax
 * error points at the first token that cannot continue the statement.
 * Test-script statements (ASSERT VALUES, ASSERT NULL VALUES, ASSERT
 * STREAM|TABLE, RUN SCRIPT) are gated by `testStatements`.
 */
import { tokenMatcher, type IToken } from 'chevrotain';
import { isIdentifierToken, isTokenOf } from './base-rules.js';
import { QueryRules } from './query-rules.js';
import { Comma, Eq, Identifier, IntegerValue, KW, LParen, RParen, Semicolon, StringLiteral } from './tokens.js';

export class StatementRules extends QueryRules {
  /** Whether the test-script statements are accepted (set per parse). */
  testStatements = false;

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

  readonly singleExpression = this.RULE('singleExpression', () => {
    this.SUBRULE(this.expression);
  });

  readonly statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
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

  /** CREATE [OR REPLACE] [SOURCE] STREAM|TABLE ..., CREATE TYPE, CREATE SOURCE|SINK CONNECTOR. */
  readonly createStatement = this.RULE('createStatement', () => {
    this.CONSUME(KW.CREATE);
    this.OPTION(() => {
      this.CONSUME(KW.OR);
      this.CONSUME(KW.REPLACE);
    });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.TYPE);
          this.SUBRULE(this.ifNotExists);
          this.SUBRULE(this.identifier, { LABEL: 'name' });
          this.CONSUME(KW.AS);
          this.SUBRULE(this.type);
        },
      },
      {
        ALT: () => {
          this.OR1([{ ALT: () => this.CONSUME(KW.SOURCE, { LABEL: 'connectorSource' }) }, { ALT: () => this.CONSUME(KW.SINK) }]);
          this.CONSUME(KW.CONNECTOR);
          this.SUBRULE1(this.ifNotExists);
          this.SUBRULE1(this.identifier, { LABEL: 'name' });
          this.CONSUME(KW.WITH);
          this.SUBRULE(this.tableProperties);
        },
      },
      {
        ALT: () => {
          this.OPTION1(() => this.CONSUME1(KW.SOURCE));
          this.OR2([{ ALT: () => this.CONSUME(KW.STREAM) }, { ALT: () => this.CONSUME(KW.TABLE) }]);
          this.SUBRULE2(this.ifNotExists);
          this.SUBRULE2(this.identifier, { LABEL: 'name' });
          this.OPTION2(() => this.SUBRULE(this.tableElements));
          this.OPTION3(() => {
            this.CONSUME1(KW.WITH);
            this.SUBRULE1(this.tableProperties);
          });
          this.OPTION4(() => {
            this.CONSUME1(KW.AS);
            this.SUBRULE(this.query);
          });
        },
      },
    ]);
  });

  readonly ifNotExists = this.RULE('ifNotExists', () => {
    this.OPTION(() => {
      this.CONSUME(KW.IF);
      this.CONSUME(KW.NOT);
      this.CONSUME(KW.EXISTS);
    });
  });

  readonly ifExists = this.RULE('ifExists', () => {
    this.OPTION(() => {
      this.CONSUME(KW.IF);
      this.CONSUME(KW.EXISTS);
    });
  });

  readonly tableElements = this.RULE('tableElements', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.tableElement);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE1(this.tableElement);
    });
    this.CONSUME(RParen);
  });

  readonly tableElement = this.RULE('tableElement', () => {
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.type);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(KW.PRIMARY);
            this.CONSUME(KW.KEY, { LABEL: 'primaryKey' });
          },
        },
        { ALT: () => this.CONSUME1(KW.KEY) },
        { ALT: () => this.CONSUME(KW.HEADERS) },
        {
          ALT: () => {
            this.CONSUME(KW.HEADER);
            this.CONSUME(LParen);
            this.CONSUME(StringLiteral);
            this.CONSUME(RParen);
          },
        },
      ]);
    });
  });

  /** INSERT INTO target [WITH (...)] SELECT ..., or INSERT INTO target [(cols)] VALUES (...). */
  readonly insertStatement = this.RULE('insertStatement', () => {
    this.CONSUME(KW.INSERT);
    this.CONSUME(KW.INTO);
    this.SUBRULE(this.identifier, { LABEL: 'target' });
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => {
            this.CONSUME(KW.WITH);
            this.SUBRULE(this.tableProperties);
          });
          this.SUBRULE(this.query);
        },
      },
      {
        ALT: () => {
          this.OPTION1(() => this.SUBRULE(this.columnList));
          this.CONSUME(KW.VALUES);
          this.SUBRULE(this.valuesList);
        },
      },
    ]);
  });

  /** `( expr, ... )` after VALUES or KEY; may be empty. */
  readonly valuesList = this.RULE('valuesList', () => {
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.valueExpression);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE1(this.valueExpression);
      });
    });
    this.CONSUME(RParen);
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

  /** ALTER SYSTEM 'p' = 'v', or ALTER STREAM|TABLE s ADD [COLUMN] c type, ... */
  readonly alterStatement = this.RULE('alterStatement', () => {
    this.CONSUME(KW.ALTER);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.SYSTEM);
          this.CONSUME(StringLiteral, { LABEL: 'name' });
          this.CONSUME(Eq);
          this.CONSUME1(StringLiteral, { LABEL: 'value' });
        },
      },
      {
        ALT: () => {
          this.OR1([{ ALT: () => this.CONSUME(KW.STREAM) }, { ALT: () => this.CONSUME(KW.TABLE) }]);
          this.SUBRULE(this.identifier, { LABEL: 'sourceName' });
          this.SUBRULE(this.alterOption);
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE1(this.alterOption);
          });
        },
      },
    ]);
  });

  readonly alterOption = this.RULE('alterOption', () => {
    this.CONSUME(KW.ADD);
    this.OPTION(() => this.CONSUME(KW.COLUMN));
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.type);
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

  readonly dropStatement = this.RULE('dropStatement', () => {
    this.CONSUME(KW.DROP);
    this.OR([
      {
        ALT: () => {
          this.OR1([{ ALT: () => this.CONSUME(KW.STREAM) }, { ALT: () => this.CONSUME(KW.TABLE) }]);
          this.SUBRULE(this.ifExists);
          this.SUBRULE(this.identifier, { LABEL: 'name' });
          this.OPTION(() => {
            this.CONSUME(KW.DELETE);
            this.CONSUME(KW.TOPIC);
          });
        },
      },
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(KW.TYPE) }, { ALT: () => this.CONSUME(KW.CONNECTOR) }]);
          this.SUBRULE1(this.ifExists);
          this.SUBRULE1(this.identifier, { LABEL: 'name' });
        },
      },
    ]);
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

  readonly assertStatement = this.RULE('assertStatement', () => {
    this.CONSUME(KW.ASSERT);
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => {
            this.CONSUME(KW.NOT);
            this.CONSUME(KW.EXISTS);
          });
          this.OR1([
            {
              ALT: () => {
                this.CONSUME(KW.TOPIC);
                this.SUBRULE(this.resourceName, { LABEL: 'topic' });
                this.OPTION1(() => {
                  this.CONSUME(KW.WITH);
                  this.SUBRULE(this.tableProperties);
                });
                this.OPTION2(() => this.SUBRULE(this.timeout));
              },
            },
            {
              ALT: () => {
                this.CONSUME(KW.SCHEMA);
                this.OPTION3(() => {
                  this.CONSUME(KW.SUBJECT);
                  this.SUBRULE1(this.resourceName, { LABEL: 'subject' });
                });
                this.OPTION4(() => {
                  this.CONSUME(KW.ID);
                  this.CONSUME(IntegerValue, { LABEL: 'schemaId' });
                });
                this.OPTION5(() => this.SUBRULE1(this.timeout));
              },
            },
          ]);
        },
      },
      {
        GATE: () => this.testStatements,
        ALT: () => {
          this.CONSUME(KW.VALUES);
          this.SUBRULE(this.identifier, { LABEL: 'sourceName' });
          this.OPTION6(() => this.SUBRULE(this.columnList));
          this.CONSUME1(KW.VALUES);
          this.SUBRULE(this.valuesList);
        },
      },
      {
        GATE: () => this.testStatements,
        ALT: () => {
          this.CONSUME(KW.NULL);
          this.CONSUME2(KW.VALUES);
          this.SUBRULE1(this.identifier, { LABEL: 'sourceName' });
          this.OPTION7(() => this.SUBRULE1(this.columnList));
          this.CONSUME(KW.KEY);
          this.SUBRULE1(this.valuesList);
        },
      },
      {
        GATE: () => this.testStatements,
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(KW.STREAM) }, { ALT: () => this.CONSUME(KW.TABLE) }]);
          this.SUBRULE2(this.identifier, { LABEL: 'sourceName' });
          this.OPTION8(() => this.SUBRULE(this.tableElements));
          this.OPTION9(() => {
            this.CONSUME1(KW.WITH);
            this.SUBRULE1(this.tableProperties);
          });
        },
      },
    ]);
  });

  readonly timeout = this.RULE('timeout', () => {
    this.CONSUME(KW.TIMEOUT);
    this.SUBRULE(this.duration);
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
