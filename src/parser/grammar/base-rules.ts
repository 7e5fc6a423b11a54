/**
 * Grammar rules shared by every area: identifiers, numbers, literals, SQL
 * types, time units and durations. Rules are class fields, so a reference to
 * a missing rule does not compile. The classes in expression-rules.ts,
 * query-rules.ts and statement-rules.ts extend this one in turn.
 */
import { CstParser, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import {
  ALL_TOKENS,
  BackQuotedIdentifier,
  Comma,
  DecimalValue,
  DigitIdentifier,
  Eq,
  FloatingPointValue,
  Gt,
  Identifier,
  IntegerValue,
  KW,
  LParen,
  Lt,
  Minus,
  NonReserved,
  QuotedIdentifier,
  RParen,
  StringLiteral,
} from './tokens.js';

/** True when the token can be an identifier (a name, a quoted name, or a non-reserved keyword). */
export function isIdentifierToken(token: IToken): boolean {
  const t = token.tokenType;
  return (
    t === Identifier || t === QuotedIdentifier || t === BackQuotedIdentifier || t === DigitIdentifier || tokenMatcher(token, NonReserved)
  );
}

export function isTokenOf(token: IToken, ...types: readonly TokenType[]): boolean {
  for (const t of types) if (tokenMatcher(token, t)) return true;
  return false;
}

export class BaseRules extends CstParser {
  /**
   * LL(2) plus gates: the grammar needs no more, and each extra token of
   * lookahead multiplies the start-up analysis time (k=4 took seconds).
   */
  constructor() {
    super(ALL_TOKENS as TokenType[], { maxLookahead: 2, recoveryEnabled: false, nodeLocationTracking: 'full' });
  }

  /** Any name: bare, "quoted", `back-quoted`, digit-led, or a non-reserved keyword. */
  readonly identifier = this.RULE('identifier', () => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(QuotedIdentifier) },
      { ALT: () => this.CONSUME(BackQuotedIdentifier) },
      { ALT: () => this.CONSUME(DigitIdentifier) },
      { ALT: () => this.CONSUME(NonReserved) },
    ]);
  });

  /** A name or a 'string' (topics, subjects). */
  readonly resourceName = this.RULE('resourceName', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.identifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
  });

  /** An optionally negative number. */
  readonly number = this.RULE('number', () => {
    this.OPTION(() => this.CONSUME(Minus));
    this.OR([
      { ALT: () => this.CONSUME(DecimalValue) },
      { ALT: () => this.CONSUME(FloatingPointValue) },
      { ALT: () => this.CONSUME(IntegerValue) },
    ]);
  });

  /** The literals allowed as property values. */
  readonly literal = this.RULE('literal', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.NULL) },
      { ALT: () => this.CONSUME(KW.TRUE) },
      { ALT: () => this.CONSUME(KW.FALSE) },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.SUBRULE(this.number) },
    ]);
  });

  readonly type = this.RULE('type', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => tokenMatcher(this.LA(2), Lt),
          ALT: () => {
            this.CONSUME(KW.ARRAY);
            this.CONSUME(Lt);
            this.SUBRULE(this.type, { LABEL: 'element' });
            this.CONSUME(Gt);
          },
        },
        {
          GATE: () => tokenMatcher(this.LA(2), Lt),
          ALT: () => {
            this.CONSUME(KW.MAP);
            this.CONSUME1(Lt);
            this.SUBRULE1(this.type, { LABEL: 'mapKey' });
            this.CONSUME(Comma);
            this.SUBRULE2(this.type, { LABEL: 'mapValue' });
            this.CONSUME1(Gt);
          },
        },
        {
          GATE: () => tokenMatcher(this.LA(2), Lt),
          ALT: () => {
            this.CONSUME(KW.STRUCT);
            this.CONSUME2(Lt);
            this.OPTION(() => {
              this.SUBRULE(this.structTypeField);
              this.MANY(() => {
                this.CONSUME1(Comma);
                this.SUBRULE1(this.structTypeField);
              });
            });
            this.CONSUME2(Gt);
          },
        },
        {
          ALT: () => {
            this.CONSUME(KW.DECIMAL);
            this.CONSUME(LParen);
            this.CONSUME(IntegerValue, { LABEL: 'precision' });
            this.CONSUME2(Comma);
            this.CONSUME1(IntegerValue, { LABEL: 'scale' });
            this.CONSUME(RParen);
          },
        },
        {
          ALT: () => {
            this.SUBRULE(this.identifier, { LABEL: 'baseType' });
            this.OPTION1(() => {
              this.CONSUME1(LParen);
              this.SUBRULE(this.typeParameter);
              this.MANY1(() => {
                this.CONSUME3(Comma);
                this.SUBRULE1(this.typeParameter);
              });
              this.CONSUME1(RParen);
            });
          },
        },
      ],
    });
  });

  readonly structTypeField = this.RULE('structTypeField', () => {
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.type);
  });

  readonly typeParameter = this.RULE('typeParameter', () => {
    this.OR([{ ALT: () => this.CONSUME(IntegerValue) }, { ALT: () => this.CONSUME(KW.STRING) }]);
  });

  /** A time unit, singular or plural. */
  readonly windowUnit = this.RULE('windowUnit', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.DAY) },
      { ALT: () => this.CONSUME(KW.HOUR) },
      { ALT: () => this.CONSUME(KW.MINUTE) },
      { ALT: () => this.CONSUME(KW.SECOND) },
      { ALT: () => this.CONSUME(KW.MILLISECOND) },
      { ALT: () => this.CONSUME(KW.DAYS) },
      { ALT: () => this.CONSUME(KW.HOURS) },
      { ALT: () => this.CONSUME(KW.MINUTES) },
      { ALT: () => this.CONSUME(KW.SECONDS) },
      { ALT: () => this.CONSUME(KW.MILLISECONDS) },
    ]);
  });

  /** `n unit`, e.g. `10 SECONDS`. */
  readonly duration = this.RULE('duration', () => {
    this.CONSUME(IntegerValue);
    this.SUBRULE(this.windowUnit);
  });

  readonly gracePeriod = this.RULE('gracePeriod', () => {
    this.CONSUME(KW.GRACE);
    this.CONSUME(KW.PERIOD);
    this.SUBRULE(this.duration);
  });

  readonly retention = this.RULE('retention', () => {
    this.CONSUME(KW.RETENTION);
    this.SUBRULE(this.duration);
  });

  /** `( name = literal, ... )` after WITH. */
  readonly tableProperties = this.RULE('tableProperties', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.tableProperty);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE1(this.tableProperty);
    });
    this.CONSUME(RParen);
  });

  readonly tableProperty = this.RULE('tableProperty', () => {
    // RETENTION is reserved (window clauses) but also names a CREATE ... AS property (beyond ksqlDB).
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier) },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(KW.RETENTION) },
    ]);
    this.CONSUME(Eq);
    this.SUBRULE(this.literal);
  });

  /** `(a, b, c)`: a column list. */
  readonly columnList = this.RULE('columnList', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.identifier);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE1(this.identifier);
    });
    this.CONSUME(RParen);
  });
}
