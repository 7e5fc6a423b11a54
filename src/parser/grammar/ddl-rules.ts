/**
 * Grammar of the statements that define and change sources, types and
 * connectors: CREATE, INSERT, ALTER, DROP and ASSERT. Test-script forms of
 * ASSERT are gated by `testStatements`.
 */
import { QueryRules } from './query-rules.js';
import { Comma, Eq, IntegerValue, KW, LParen, RParen, StringLiteral } from './tokens.js';

export class DdlRules extends QueryRules {
  /** Whether the test-script statements are accepted (set per parse). */
  testStatements = false;

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

}
