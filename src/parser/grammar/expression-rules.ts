/**
 * Expression grammar, by precedence from loosest to tightest:
 * OR, AND, NOT, predicates (comparison, BETWEEN, IN, LIKE, IS [NOT] NULL,
 * IS [NOT] DISTINCT FROM), `||`, `+ -`, `* / %`, unary `- +`, then primary
 * expressions with their `[index]` and `->field` suffixes. As in ksqlDB, a
 * minus directly before a number is part of the number literal.
 */
import { tokenMatcher } from 'chevrotain';
import { BaseRules, isIdentifierToken, isTokenOf } from './base-rules.js';
import {
  Arrow,
  Assign,
  Asterisk,
  Comma,
  Concat,
  DecimalValue,
  Dot,
  Eq,
  FloatingPointValue,
  Gt,
  Gte,
  IntegerValue,
  KW,
  LBracket,
  Lambda,
  LParen,
  Lt,
  Lte,
  Minus,
  Neq,
  Percent,
  Plus,
  RBracket,
  RParen,
  Slash,
  StringLiteral,
} from './tokens.js';

export class ExpressionRules extends BaseRules {
  readonly expression = this.RULE('expression', () => {
    this.SUBRULE(this.andExpression);
    this.MANY(() => {
      this.CONSUME(KW.OR);
      this.SUBRULE1(this.andExpression);
    });
  });

  readonly andExpression = this.RULE('andExpression', () => {
    this.SUBRULE(this.notExpression);
    this.MANY(() => {
      this.CONSUME(KW.AND);
      this.SUBRULE1(this.notExpression);
    });
  });

  readonly notExpression = this.RULE('notExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.NOT);
          this.SUBRULE(this.notExpression);
        },
      },
      { ALT: () => this.SUBRULE(this.predicated) },
    ]);
  });

  readonly predicated = this.RULE('predicated', () => {
    this.SUBRULE(this.valueExpression);
    this.OPTION(() => this.SUBRULE(this.predicate));
  });

  readonly predicate = this.RULE('predicate', () => {
    this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.comparisonOperator);
          this.SUBRULE(this.valueExpression, { LABEL: 'right' });
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(KW.NOT));
          this.CONSUME(KW.BETWEEN);
          this.SUBRULE1(this.valueExpression, { LABEL: 'low' });
          this.CONSUME(KW.AND);
          this.SUBRULE2(this.valueExpression, { LABEL: 'high' });
        },
      },
      {
        ALT: () => {
          this.OPTION1(() => this.CONSUME1(KW.NOT));
          this.CONSUME(KW.IN);
          this.CONSUME(LParen);
          this.SUBRULE(this.expression);
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE1(this.expression);
          });
          this.CONSUME(RParen);
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME2(KW.NOT));
          this.CONSUME(KW.LIKE);
          this.SUBRULE3(this.valueExpression, { LABEL: 'pattern' });
          this.OPTION3(() => {
            this.CONSUME(KW.ESCAPE);
            this.CONSUME(StringLiteral);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.IS);
          this.OPTION4(() => this.CONSUME3(KW.NOT));
          this.OR1([
            { ALT: () => this.CONSUME(KW.NULL) },
            {
              ALT: () => {
                this.CONSUME(KW.DISTINCT);
                this.CONSUME(KW.FROM);
                this.SUBRULE4(this.valueExpression, { LABEL: 'right' });
              },
            },
          ]);
        },
      },
    ]);
  });

  readonly comparisonOperator = this.RULE('comparisonOperator', () => {
    this.OR([
      { ALT: () => this.CONSUME(Eq) },
      { ALT: () => this.CONSUME(Neq) },
      { ALT: () => this.CONSUME(Lte) },
      { ALT: () => this.CONSUME(Gte) },
      { ALT: () => this.CONSUME(Lt) },
      { ALT: () => this.CONSUME(Gt) },
    ]);
  });

  /** `a || b || ...`: the loosest arithmetic-level operator. */
  readonly valueExpression = this.RULE('valueExpression', () => {
    this.SUBRULE(this.additiveExpression);
    this.MANY(() => {
      this.CONSUME(Concat);
      this.SUBRULE1(this.additiveExpression);
    });
  });

  readonly additiveExpression = this.RULE('additiveExpression', () => {
    this.SUBRULE(this.multiplicativeExpression);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Plus) }, { ALT: () => this.CONSUME(Minus) }]);
      this.SUBRULE1(this.multiplicativeExpression);
    });
  });

  readonly multiplicativeExpression = this.RULE('multiplicativeExpression', () => {
    this.SUBRULE(this.unaryExpression);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Asterisk) }, { ALT: () => this.CONSUME(Slash) }, { ALT: () => this.CONSUME(Percent) }]);
      this.SUBRULE1(this.unaryExpression);
    });
  });

  readonly unaryExpression = this.RULE('unaryExpression', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => !tokenMatcher(this.LA(1), Minus) || isTokenOf(this.LA(2), IntegerValue, DecimalValue, FloatingPointValue),
          ALT: () => this.SUBRULE(this.primaryExpression),
        },
        {
          ALT: () => {
            this.OR1([{ ALT: () => this.CONSUME(Minus) }, { ALT: () => this.CONSUME(Plus) }]);
            this.SUBRULE(this.unaryExpression);
          },
        },
      ],
    });
  });

  /** A primary term followed by any number of `[index]` and `->field` suffixes (ordered by offset in the AST builder). */
  readonly primaryExpression = this.RULE('primaryExpression', () => {
    this.SUBRULE(this.primaryTerm);
    this.MANY({
      // `x->*` is a select item, not a dereference: leave it to the select list.
      GATE: () => !(tokenMatcher(this.LA(1), Arrow) && tokenMatcher(this.LA(2), Asterisk)),
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              this.CONSUME(LBracket);
              this.SUBRULE(this.valueExpression);
              this.CONSUME(RBracket);
            },
          },
          {
            ALT: () => {
              this.CONSUME(Arrow);
              this.SUBRULE(this.identifier);
            },
          },
        ]);
      },
    });
  });

  readonly primaryTerm = this.RULE('primaryTerm', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.literal) },
        {
          GATE: () => tokenMatcher(this.LA(2), StringLiteral),
          ALT: () => this.SUBRULE(this.typedLiteral),
        },
        { ALT: () => this.SUBRULE(this.caseExpression) },
        { ALT: () => this.SUBRULE(this.castExpression) },
        {
          GATE: () => tokenMatcher(this.LA(2), LBracket),
          ALT: () => this.SUBRULE(this.arrayConstructor),
        },
        {
          GATE: () => tokenMatcher(this.LA(2), LParen),
          ALT: () => this.SUBRULE(this.mapConstructor),
        },
        {
          GATE: () => tokenMatcher(this.LA(2), LParen),
          ALT: () => this.SUBRULE(this.structConstructor),
        },
        {
          GATE: () => tokenMatcher(this.LA(2), LParen),
          ALT: () => this.SUBRULE(this.functionCall),
        },
        { ALT: () => this.SUBRULE(this.columnReference) },
        {
          ALT: () => {
            this.CONSUME(LParen);
            this.SUBRULE(this.expression);
            this.CONSUME(RParen);
          },
        },
      ],
    });
  });

  /** `DATE '2020-01-01'`, `TIMESTAMP '...'`, `TIME '...'`, `DECIMAL '1.5'`, `X'0aff'`. */
  readonly typedLiteral = this.RULE('typedLiteral', () => {
    this.OR([{ ALT: () => this.CONSUME(KW.DECIMAL) }, { ALT: () => this.SUBRULE(this.identifier) }]);
    this.CONSUME(StringLiteral);
  });

  readonly caseExpression = this.RULE('caseExpression', () => {
    this.CONSUME(KW.CASE);
    this.OPTION(() => this.SUBRULE(this.valueExpression, { LABEL: 'operand' }));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.whenClause));
    this.OPTION1(() => {
      this.CONSUME(KW.ELSE);
      this.SUBRULE(this.expression, { LABEL: 'otherwise' });
    });
    this.CONSUME(KW.END);
  });

  readonly whenClause = this.RULE('whenClause', () => {
    this.CONSUME(KW.WHEN);
    this.SUBRULE(this.expression, { LABEL: 'condition' });
    this.CONSUME(KW.THEN);
    this.SUBRULE1(this.expression, { LABEL: 'result' });
  });

  readonly castExpression = this.RULE('castExpression', () => {
    this.CONSUME(KW.CAST);
    this.CONSUME(LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(KW.AS);
    this.SUBRULE(this.type);
    this.CONSUME(RParen);
  });

  readonly arrayConstructor = this.RULE('arrayConstructor', () => {
    this.CONSUME(KW.ARRAY);
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE1(this.expression);
      });
    });
    this.CONSUME(RBracket);
  });

  readonly mapConstructor = this.RULE('mapConstructor', () => {
    this.CONSUME(KW.MAP);
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.mapEntry);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE1(this.mapEntry);
      });
    });
    this.CONSUME(RParen);
  });

  readonly mapEntry = this.RULE('mapEntry', () => {
    this.SUBRULE(this.expression, { LABEL: 'key' });
    this.CONSUME(Assign);
    this.SUBRULE1(this.expression, { LABEL: 'value' });
  });

  readonly structConstructor = this.RULE('structConstructor', () => {
    this.CONSUME(KW.STRUCT);
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.structField);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE1(this.structField);
      });
    });
    this.CONSUME(RParen);
  });

  readonly structField = this.RULE('structField', () => {
    this.SUBRULE(this.identifier);
    this.CONSUME(Assign);
    this.SUBRULE(this.expression);
  });

  readonly functionCall = this.RULE('functionCall', () => {
    this.SUBRULE(this.identifier);
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(Asterisk) },
        {
          ALT: () => {
            this.SUBRULE(this.functionArgument);
            this.MANY(() => {
              this.CONSUME(Comma);
              this.SUBRULE1(this.functionArgument);
            });
          },
        },
      ]);
    });
    this.CONSUME(RParen);
  });

  readonly functionArgument = this.RULE('functionArgument', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.isLambdaAhead(), ALT: () => this.SUBRULE(this.lambdaExpression) },
        {
          GATE: () => isTokenOf(this.LA(1), KW.DAYS, KW.HOURS, KW.MINUTES, KW.SECONDS, KW.MILLISECOND, KW.MILLISECONDS),
          ALT: () => this.SUBRULE(this.windowUnit),
        },
        { ALT: () => this.SUBRULE(this.expression) },
      ],
    });
  });

  readonly lambdaExpression = this.RULE('lambdaExpression', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier) },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE1(this.identifier);
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE2(this.identifier);
          });
          this.CONSUME(RParen);
        },
      },
    ]);
    this.CONSUME(Lambda);
    this.SUBRULE(this.expression);
  });

  /** `col` or `source.col`. */
  readonly columnReference = this.RULE('columnReference', () => {
    this.SUBRULE(this.identifier);
    this.OPTION(() => {
      this.CONSUME(Dot);
      this.SUBRULE1(this.identifier, { LABEL: 'column' });
    });
  });

  /** `x =>` or `(x, y) =>` starts here. */
  protected isLambdaAhead(): boolean {
    const first = this.LA(1);
    if (isIdentifierToken(first)) return tokenMatcher(this.LA(2), Lambda);
    if (!tokenMatcher(first, LParen)) return false;
    let i = 2;
    for (;;) {
      if (!isIdentifierToken(this.LA(i))) return false;
      const next = this.LA(i + 1);
      if (tokenMatcher(next, RParen)) return tokenMatcher(this.LA(i + 2), Lambda);
      if (!tokenMatcher(next, Comma)) return false;
      i += 2;
    }
  }
}
