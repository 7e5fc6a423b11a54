/** SELECT grammar: select items, FROM with joins, WINDOW, WHERE, GROUP BY, PARTITION BY, HAVING, EMIT, ORDER BY, LIMIT [OFFSET]. */
import { tokenMatcher } from 'chevrotain';
import { ExpressionRules } from './expression-rules.js';
import { isIdentifierToken, isTokenOf } from './base-rules.js';
import { Arrow, Asterisk, Comma, Dot, Eq, Identifier, IntegerValue, KW, LBracket, LParen, RBracket, RParen, StringLiteral } from './tokens.js';

export class QueryRules extends ExpressionRules {
  readonly query = this.RULE('query', () => {
    this.CONSUME(KW.SELECT);
    this.SUBRULE(this.selectItem);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE1(this.selectItem);
    });
    this.CONSUME(KW.FROM);
    this.SUBRULE(this.relation);
    this.OPTION(() => {
      this.CONSUME(KW.WINDOW);
      this.SUBRULE(this.windowExpression);
    });
    this.OPTION1(() => {
      this.CONSUME(KW.WHERE);
      this.SUBRULE(this.expression, { LABEL: 'where' });
    });
    this.OPTION2(() => {
      this.CONSUME(KW.GROUP);
      this.CONSUME(KW.BY);
      this.SUBRULE(this.groupingList, { LABEL: 'groupBy' });
    });
    this.OPTION3(() => {
      this.CONSUME(KW.PARTITION);
      this.CONSUME1(KW.BY);
      this.SUBRULE1(this.groupingList, { LABEL: 'partitionBy' });
    });
    this.OPTION4(() => {
      this.CONSUME(KW.HAVING);
      this.SUBRULE1(this.expression, { LABEL: 'having' });
    });
    this.OPTION5(() => {
      this.CONSUME(KW.EMIT);
      this.OR([{ ALT: () => this.CONSUME(KW.CHANGES) }, { ALT: () => this.CONSUME(KW.FINAL) }]);
    });
    this.OPTION6(() => {
      this.CONSUME(KW.ORDER);
      this.CONSUME2(KW.BY);
      this.SUBRULE(this.sortItem);
      this.MANY1(() => {
        this.CONSUME1(Comma);
        this.SUBRULE1(this.sortItem);
      });
    });
    this.OPTION7(() => {
      this.CONSUME(KW.LIMIT);
      this.CONSUME(IntegerValue, { LABEL: 'limit' });
      this.OPTION8(() => {
        this.CONSUME(KW.OFFSET);
        this.CONSUME1(IntegerValue, { LABEL: 'offset' });
      });
    });
  });

  /** `expression [ASC | DESC] [NULLS FIRST | NULLS LAST]` of ORDER BY. */
  readonly sortItem = this.RULE('sortItem', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(KW.ASC) }, { ALT: () => this.CONSUME(KW.DESC) }]));
    this.OPTION1(() => {
      this.CONSUME(KW.NULLS);
      this.OR1([{ ALT: () => this.CONSUME(KW.FIRST) }, { ALT: () => this.CONSUME(KW.LAST) }]);
    });
  });

  readonly selectItem = this.RULE('selectItem', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.CONSUME(Asterisk) },
        {
          GATE: () => tokenMatcher(this.LA(2), Dot) && tokenMatcher(this.LA(3), Asterisk),
          ALT: () => {
            this.SUBRULE(this.identifier, { LABEL: 'source' });
            this.CONSUME(Dot);
            this.CONSUME1(Asterisk, { LABEL: 'sourceAll' });
          },
        },
        {
          ALT: () => {
            this.SUBRULE(this.expression);
            this.OR1([
              {
                ALT: () => {
                  this.CONSUME(Arrow);
                  this.CONSUME2(Asterisk, { LABEL: 'structAll' });
                },
              },
              {
                ALT: () => {
                  this.OPTION(() => {
                    this.OPTION1(() => this.CONSUME(KW.AS));
                    this.SUBRULE1(this.identifier, { LABEL: 'alias' });
                  });
                },
              },
            ]);
          },
        },
      ],
    });
  });

  /** A source then any number of joined sources. */
  readonly relation = this.RULE('relation', () => {
    this.SUBRULE(this.aliasedRelation);
    this.MANY(() => this.SUBRULE(this.joinedSource));
  });

  readonly aliasedRelation = this.RULE('aliasedRelation', () => {
    this.SUBRULE(this.identifier, { LABEL: 'name' });
    this.OPTION({
      // `FROM s EMIT CHANGES` and `FROM s PARTITION BY` are clauses, not aliases.
      GATE: () => this.isAliasAhead(),
      DEF: () => {
        this.OPTION1(() => this.CONSUME(KW.AS));
        this.SUBRULE1(this.identifier, { LABEL: 'alias' });
      },
    });
  });

  readonly joinedSource = this.RULE('joinedSource', () => {
    this.OPTION(() => this.SUBRULE(this.joinType));
    this.CONSUME(KW.JOIN);
    this.SUBRULE(this.aliasedRelation);
    this.OPTION1(() => {
      this.CONSUME(KW.WITHIN);
      this.SUBRULE(this.joinWindow);
    });
    this.CONSUME(KW.ON);
    this.SUBRULE(this.expression);
  });

  readonly joinType = this.RULE('joinType', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.INNER) },
      {
        ALT: () => {
          this.CONSUME(KW.FULL);
          this.OPTION(() => this.CONSUME(KW.OUTER));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.LEFT);
          this.OPTION1(() => this.CONSUME1(KW.OUTER));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.RIGHT);
          this.OPTION2(() => this.CONSUME2(KW.OUTER));
        },
      },
    ]);
  });

  /** `n unit` or `(before, after)`, then an optional GRACE PERIOD. */
  readonly joinWindow = this.RULE('joinWindow', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.duration, { LABEL: 'before' });
          this.CONSUME(Comma);
          this.SUBRULE1(this.duration, { LABEL: 'after' });
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE2(this.duration, { LABEL: 'single' }) },
    ]);
    this.OPTION(() => this.SUBRULE(this.gracePeriod));
  });

  readonly windowExpression = this.RULE('windowExpression', () => {
    this.OPTION(() => this.CONSUME(Identifier, { LABEL: 'windowName' }));
    this.OR([
      { ALT: () => this.SUBRULE(this.tumblingWindow) },
      { ALT: () => this.SUBRULE(this.hoppingWindow) },
      { ALT: () => this.SUBRULE(this.sessionWindow) },
    ]);
  });

  readonly tumblingWindow = this.RULE('tumblingWindow', () => {
    this.CONSUME(KW.TUMBLING);
    this.CONSUME(LParen);
    this.CONSUME(KW.SIZE);
    this.SUBRULE(this.duration);
    this.SUBRULE(this.windowOptions);
    this.CONSUME(RParen);
  });

  readonly hoppingWindow = this.RULE('hoppingWindow', () => {
    this.CONSUME(KW.HOPPING);
    this.CONSUME(LParen);
    this.CONSUME(KW.SIZE);
    this.SUBRULE(this.duration, { LABEL: 'size' });
    this.CONSUME(Comma);
    this.CONSUME(KW.ADVANCE);
    this.CONSUME(KW.BY);
    this.SUBRULE1(this.duration, { LABEL: 'advance' });
    this.SUBRULE(this.windowOptions);
    this.CONSUME(RParen);
  });

  readonly sessionWindow = this.RULE('sessionWindow', () => {
    this.CONSUME(KW.SESSION);
    this.CONSUME(LParen);
    this.SUBRULE(this.duration);
    this.SUBRULE(this.windowOptions);
    this.CONSUME(RParen);
  });

  /** `, TIMEZONE = 'zone'` (beyond ksqlDB), `, RETENTION n unit` then `, GRACE PERIOD n unit`, each optional. */
  readonly windowOptions = this.RULE('windowOptions', () => {
    this.OPTION2({
      GATE: () => this.LA(2).image.toUpperCase() === 'TIMEZONE',
      DEF: () => {
        this.CONSUME2(Comma);
        this.CONSUME(Identifier);
        this.CONSUME(Eq);
        this.CONSUME(StringLiteral, { LABEL: 'timeZone' });
      },
    });
    this.OPTION(() => {
      this.CONSUME(Comma);
      this.SUBRULE(this.retention);
    });
    this.OPTION1(() => {
      this.CONSUME1(Comma);
      this.SUBRULE(this.gracePeriod);
    });
  });

  /** GROUP BY / PARTITION BY list: `a, b` or `(a, b)` or `()`. */
  readonly groupingList = this.RULE('groupingList', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.isParenthesizedListAhead(),
          ALT: () => {
            this.CONSUME(LParen);
            this.OPTION(() => {
              this.SUBRULE(this.valueExpression);
              this.MANY(() => {
                this.CONSUME(Comma);
                this.SUBRULE1(this.valueExpression);
              });
            });
            this.CONSUME(RParen);
          },
        },
        {
          ALT: () => {
            this.SUBRULE2(this.valueExpression);
            this.MANY1(() => {
              this.CONSUME1(Comma);
              this.SUBRULE3(this.valueExpression);
            });
          },
        },
      ],
    });
  });

  protected isAliasAhead(): boolean {
    const t = this.LA(1);
    if (tokenMatcher(t, KW.AS)) return true;
    if (!isIdentifierToken(t)) return false;
    const next = this.LA(2);
    if (tokenMatcher(t, KW.EMIT)) return !isTokenOf(next, KW.CHANGES, KW.FINAL);
    if (tokenMatcher(t, KW.PARTITION) || tokenMatcher(t, KW.ORDER)) return !tokenMatcher(next, KW.BY);
    return true;
  }

  /** A `(` whose matching `)` encloses a top-level comma, or nothing at all. */
  protected isParenthesizedListAhead(): boolean {
    if (!tokenMatcher(this.LA(1), LParen)) return false;
    if (tokenMatcher(this.LA(2), RParen)) return true;
    let depth = 0;
    for (let i = 1; ; i++) {
      const t = this.LA(i);
      if (t.tokenType.name === 'EOF') return false;
      if (tokenMatcher(t, LParen) || tokenMatcher(t, LBracket)) depth++;
      else if (tokenMatcher(t, RParen) || tokenMatcher(t, RBracket)) {
        depth--;
        if (depth === 0) return false;
      } else if (depth === 1 && tokenMatcher(t, Comma)) return true;
    }
  }
}
