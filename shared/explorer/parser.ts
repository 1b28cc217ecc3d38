// Text → QueryModel. A chevrotain embedded-actions parser builds the model directly (no CST), then a
// validation pass checks what grammar cannot: labels exist, variables are bound before use, no
// aggregates in WHERE. Every failure is an InputError "line L, column C: … (hint: …)".
import { EmbeddedActionsParser, type IToken, type TokenType, type IParserErrorMessageProvider, type IRecognitionException } from "chevrotain";
import { InputError } from "../errors.js";
import * as T from "./lexer.js";
import { arityText, queryFunction, QUERY_FUNCTIONS } from "./functions.js";
import {
  type BinaryOperator,
  type Expression,
  type IntOrParam,
  type MatchClause,
  type NodePattern,
  type OrderItem,
  type PathPattern,
  type QueryModel,
  type RelationshipPattern,
  type ReturnClause,
  type ReturnItem,
  type SourcePos,
} from "./model.js";
import { resolveLabel } from "./labels.js";

function pos(token: IToken): SourcePos {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1 };
}

function nameOf(token: IToken): string {
  if (token.tokenType === T.QuotedIdentifier) return token.image.slice(1, -1).replace(/``/g, "`");
  return token.image;
}

function unquote(image: string): string {
  const body = image.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" } as Record<string, string>)[c] ?? c;
  });
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `expected ${tokenLabel(expected)} but found ${describe(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `unexpected ${describe(firstRedundant)} after the end of the query`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName }) => {
    const firsts = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) firsts.add(tokenLabel(path[0]));
    const what = RULE_NAMES[ruleName] ?? ruleName;
    return `expected ${what} but found ${describe(actual[0]!)}${firsts.size && firsts.size <= 6 ? ` (one of ${[...firsts].join(", ")})` : ""}`;
  },
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, ruleName }) => {
    const first = expectedIterationPaths[0]?.[0];
    const what = first ? tokenLabel(first) : (RULE_NAMES[ruleName] ?? ruleName);
    return `expected ${what} but found ${describe(actual[0]!)}`;
  },
};

const RULE_NAMES: Record<string, string> = {
  ...Object.fromEntries(
    ["expression", "xorExpression", "andExpression", "notExpression", "comparison", "additive", "multiplicative", "unary", "postfix", "atom"].map((r) => [r, "an expression"]),
  ),
  pathPattern: "a pattern '('",
  returnClause: "RETURN",
  query: "MATCH or RETURN",
  nodePattern: "a node pattern '('",
  intOrParam: "an integer or $parameter",
  propertyKey: "a property name",
};

function tokenLabel(type: TokenType): string {
  if (type === T.Name || type === T.Identifier) return "a name";
  if (type.name === "EOF") return "end of query";
  return type.LABEL ?? type.name;
}

function describe(token: IToken): string {
  return token.tokenType.name === "EOF" ? "end of query" : `'${token.image}'`;
}

class QueryParser extends EmbeddedActionsParser {
  constructor() {
    super(T.allTokens, { maxLookahead: 3, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  query = this.RULE("query", (): QueryModel => {
    const matches: MatchClause[] = [];
    this.MANY(() => matches.push(this.SUBRULE(this.matchClause)));
    const ret = this.SUBRULE(this.returnClause);
    this.OPTION(() => this.CONSUME(T.Semicolon));
    return { version: 1, matches, return: ret };
  });

  matchClause = this.RULE("matchClause", (): MatchClause => {
    let optional = false;
    this.OPTION(() => {
      this.CONSUME(T.Optional);
      optional = true;
    });
    this.CONSUME(T.Match);
    const patterns: PathPattern[] = [this.SUBRULE(this.pathPattern)];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      patterns.push(this.SUBRULE2(this.pathPattern));
    });
    let where: Expression | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.Where);
      where = this.SUBRULE(this.expression);
    });
    const clause: MatchClause = { patterns };
    if (where) clause.where = where;
    if (optional) clause.optional = true;
    return clause;
  });

  pathPattern = this.RULE("pathPattern", (): PathPattern => {
    let variable: string | undefined;
    this.OPTION(() => {
      const v = this.SUBRULE(this.variableToken);
      this.CONSUME(T.Equals);
      this.ACTION(() => (variable = nameOf(v)));
    });
    const start = this.SUBRULE(this.nodePattern);
    const steps: PathPattern["steps"] = [];
    this.MANY(() => {
      const relationship = this.SUBRULE(this.relationshipPattern);
      const node = this.SUBRULE2(this.nodePattern);
      steps.push({ relationship, node });
    });
    const pattern: PathPattern = { start, steps };
    if (variable !== undefined) pattern.variable = variable;
    return pattern;
  });

  variableToken = this.RULE("variableToken", (): IToken => {
    return this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.QuotedIdentifier) }]);
  });

  nodePattern = this.RULE("nodePattern", (): NodePattern => {
    const open = this.CONSUME(T.LParen);
    let variable: string | undefined;
    let labels: string[][] = [];
    let properties: Record<string, Expression> = {};
    this.OPTION(() => {
      const v = this.SUBRULE(this.variableToken);
      this.ACTION(() => (variable = nameOf(v)));
    });
    this.OPTION2(() => {
      labels = this.SUBRULE(this.labelExpression);
    });
    this.OPTION3(() => {
      properties = this.SUBRULE(this.mapLiteral);
    });
    this.CONSUME(T.RParen);
    const node: NodePattern = { labels, properties };
    this.ACTION(() => {
      if (variable !== undefined) node.variable = variable;
      node.pos = pos(open);
    });
    return node;
  });

  labelExpression = this.RULE("labelExpression", (): string[][] => {
    const groups: string[][] = [];
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.Colon);
      const t = this.CONSUME(T.Name);
      const group: string[] = [];
      this.ACTION(() => group.push(nameOf(t)));
      this.MANY(() => {
        this.CONSUME(T.Pipe);
        this.OPTION(() => this.CONSUME2(T.Colon));
        const t2 = this.CONSUME2(T.Name);
        this.ACTION(() => group.push(nameOf(t2)));
      });
      groups.push(group);
    });
    return groups;
  });

  relationshipPattern = this.RULE("relationshipPattern", (): RelationshipPattern => {
    let left = false;
    let right = false;
    let first: IToken | undefined;
    const rel: RelationshipPattern = { types: [], direction: "both", properties: {} };
    this.OPTION(() => {
      first = this.CONSUME(T.Less);
      left = true;
    });
    const dash = this.CONSUME(T.Minus);
    this.OPTION2(() => {
      this.CONSUME(T.LBracket);
      this.OPTION3(() => {
        const v = this.SUBRULE(this.variableToken);
        this.ACTION(() => (rel.variable = nameOf(v)));
      });
      this.OPTION4(() => {
        this.CONSUME(T.Colon);
        const t = this.CONSUME(T.Name);
        this.ACTION(() => rel.types.push(nameOf(t)));
        this.MANY(() => {
          this.CONSUME(T.Pipe);
          this.OPTION5(() => this.CONSUME2(T.Colon));
          const t2 = this.CONSUME2(T.Name);
          this.ACTION(() => rel.types.push(nameOf(t2)));
        });
      });
      this.OPTION6(() => {
        const length = this.SUBRULE(this.rangeLiteral);
        this.ACTION(() => (rel.length = length));
      });
      this.OPTION7(() => {
        const props = this.SUBRULE(this.mapLiteral);
        this.ACTION(() => (rel.properties = props));
      });
      this.CONSUME(T.RBracket);
    });
    this.CONSUME2(T.Minus);
    this.OPTION8(() => {
      this.CONSUME(T.Greater);
      right = true;
    });
    this.ACTION(() => {
      const at = first ?? dash;
      if (left && right) {
        throw new InputError(
          `line ${at.startLine}, column ${at.startColumn}: a relationship cannot point both ways (hint: use -[..]-> , <-[..]- or -[..]- for either direction)`,
        );
      }
      rel.direction = left ? "in" : right ? "out" : "both";
      rel.pos = pos(at);
    });
    return rel;
  });

  rangeLiteral = this.RULE("rangeLiteral", (): { min: IntOrParam; max?: IntOrParam } => {
    this.CONSUME(T.Star);
    let low: IntOrParam | undefined;
    let high: IntOrParam | undefined;
    let dots = false;
    this.OPTION(() => {
      low = this.SUBRULE(this.intOrParam);
    });
    this.OPTION2(() => {
      this.CONSUME(T.DotDot);
      dots = true;
      this.OPTION3(() => {
        high = this.SUBRULE2(this.intOrParam);
      });
    });
    // `*n` is exactly n hops; `*`, `*n..` and `*..m` leave the missing end to the defaults.
    return this.ACTION(() => {
      const range: { min: IntOrParam; max?: IntOrParam } = { min: low ?? 1 };
      if (high !== undefined) range.max = high;
      else if (low !== undefined && !dots) range.max = low;
      return range;
    });
  });

  intOrParam = this.RULE("intOrParam", (): IntOrParam => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberLiteral);
          return this.ACTION(() => {
            const n = Number(t.image);
            if (!Number.isInteger(n)) throw new InputError(`line ${t.startLine}, column ${t.startColumn}: expected an integer but found '${t.image}' (hint: hop counts, SKIP and LIMIT are whole numbers)`);
            return n;
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Param);
          return this.ACTION(() => ({ param: t.image.slice(1) }));
        },
      },
    ]);
  });

  mapLiteral = this.RULE("mapLiteral", (): Record<string, Expression> => {
    const map: Record<string, Expression> = {};
    this.CONSUME(T.LBrace);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const key = this.SUBRULE(this.propertyKey);
        this.CONSUME(T.Colon);
        const value = this.SUBRULE(this.expression);
        this.ACTION(() => (map[key] = value));
      },
    });
    this.CONSUME(T.RBrace);
    return map;
  });

  propertyKey = this.RULE("propertyKey", (): string => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.Name);
          return this.ACTION(() => nameOf(t));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.StringLiteral);
          return this.ACTION(() => unquote(t.image));
        },
      },
    ]);
  });

  returnClause = this.RULE("returnClause", (): ReturnClause => {
    this.CONSUME(T.Return);
    const clause: ReturnClause = { distinct: false, star: false, items: [], orderBy: [] };
    this.OPTION(() => {
      this.CONSUME(T.Distinct);
      clause.distinct = true;
    });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Star);
          clause.star = true;
        },
      },
      {
        ALT: () => {
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => clause.items.push(this.SUBRULE(this.returnItem)) });
        },
      },
    ]);
    this.OPTION2(() => {
      this.CONSUME(T.Order);
      this.CONSUME(T.By);
      this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => clause.orderBy.push(this.SUBRULE(this.orderItem)) });
    });
    this.OPTION3(() => {
      this.CONSUME(T.Skip);
      const skip = this.SUBRULE(this.intOrParam);
      this.ACTION(() => (clause.skip = skip));
    });
    this.OPTION4(() => {
      this.CONSUME(T.Limit);
      const limit = this.SUBRULE2(this.intOrParam);
      this.ACTION(() => (clause.limit = limit));
    });
    return clause;
  });

  returnItem = this.RULE("returnItem", (): ReturnItem => {
    const expression = this.SUBRULE(this.expression);
    const item: ReturnItem = { expression };
    this.OPTION(() => {
      this.CONSUME(T.As);
      const alias = this.SUBRULE(this.variableToken);
      this.ACTION(() => (item.alias = nameOf(alias)));
    });
    return item;
  });

  orderItem = this.RULE("orderItem", (): OrderItem => {
    const expression = this.SUBRULE(this.expression);
    let descending = false;
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => (this.CONSUME(T.Desc), (descending = true)) }]);
    });
    return { expression, descending };
  });

  // Precedence, loosest first: OR, XOR, AND, NOT, comparison/predicates, + -, * / %, unary -, postfix.
  expression = this.RULE("expression", (): Expression => {
    let left = this.SUBRULE(this.xorExpression);
    this.MANY(() => {
      this.CONSUME(T.Or);
      const right = this.SUBRULE2(this.xorExpression);
      left = { type: "binary", operator: "or", left, right };
    });
    return left;
  });

  xorExpression = this.RULE("xorExpression", (): Expression => {
    let left = this.SUBRULE(this.andExpression);
    this.MANY(() => {
      this.CONSUME(T.Xor);
      const right = this.SUBRULE2(this.andExpression);
      left = { type: "binary", operator: "xor", left, right };
    });
    return left;
  });

  andExpression = this.RULE("andExpression", (): Expression => {
    let left = this.SUBRULE(this.notExpression);
    this.MANY(() => {
      this.CONSUME(T.And);
      const right = this.SUBRULE2(this.notExpression);
      left = { type: "binary", operator: "and", left, right };
    });
    return left;
  });

  notExpression = this.RULE("notExpression", (): Expression => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          const operand = this.SUBRULE(this.notExpression);
          return { type: "not", operand } as Expression;
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  comparison = this.RULE("comparison", (): Expression => {
    let left = this.SUBRULE(this.additive);
    const binary = (operator: BinaryOperator, right: Expression) => {
      left = { type: "binary", operator, left, right };
    };
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const op = this.OR2([
              { ALT: () => this.CONSUME(T.Equals) },
              { ALT: () => this.CONSUME(T.NotEquals) },
              { ALT: () => this.CONSUME(T.Less) },
              { ALT: () => this.CONSUME(T.LessEquals) },
              { ALT: () => this.CONSUME(T.Greater) },
              { ALT: () => this.CONSUME(T.GreaterEquals) },
            ]);
            const right = this.SUBRULE2(this.additive);
            this.ACTION(() => binary((op.image === "!=" ? "<>" : op.image) as BinaryOperator, right));
          },
        },
        { ALT: () => (this.CONSUME(T.In), binary("in", this.SUBRULE3(this.additive))) },
        { ALT: () => (this.CONSUME(T.Contains), binary("contains", this.SUBRULE4(this.additive))) },
        { ALT: () => (this.CONSUME(T.Starts), this.CONSUME(T.With), binary("starts with", this.SUBRULE5(this.additive))) },
        { ALT: () => (this.CONSUME(T.Ends), this.CONSUME2(T.With), binary("ends with", this.SUBRULE6(this.additive))) },
        {
          ALT: () => {
            this.CONSUME(T.Is);
            let negated = false;
            this.OPTION(() => (this.CONSUME2(T.Not), (negated = true)));
            this.CONSUME(T.Null);
            left = { type: "isNull", operand: left, negated };
          },
        },
      ]);
    });
    return left;
  });

  additive = this.RULE("additive", (): Expression => {
    let left = this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      const right = this.SUBRULE2(this.multiplicative);
      this.ACTION(() => (left = { type: "binary", operator: op.image as BinaryOperator, left, right }));
    });
    return left;
  });

  multiplicative = this.RULE("multiplicative", (): Expression => {
    let left = this.SUBRULE(this.unary);
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }, { ALT: () => this.CONSUME(T.Percent) }]);
      const right = this.SUBRULE2(this.unary);
      this.ACTION(() => (left = { type: "binary", operator: op.image as BinaryOperator, left, right }));
    });
    return left;
  });

  unary = this.RULE("unary", (): Expression => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION((): Expression => {
            if (operand.type === "literal" && typeof operand.value === "number") return { type: "literal", value: -operand.value };
            return { type: "negate", operand };
          });
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  postfix = this.RULE("postfix", (): Expression => {
    let expr = this.SUBRULE(this.atom);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            const key = this.SUBRULE(this.propertyKey);
            this.ACTION(() => (expr = { type: "property", object: expr, key }));
          },
        },
        {
          ALT: () => {
            const colon = this.LA(1);
            const labels = this.SUBRULE(this.labelExpression);
            this.ACTION(() => {
              if (expr.type !== "variable") {
                throw new InputError(`line ${colon.startLine}, column ${colon.startColumn}: a label test needs a variable on its left (hint: write n:Pod, not n.x:Pod)`);
              }
              expr = { type: "hasLabels", variable: expr.name, labels, pos: pos(colon) };
            });
          },
        },
      ]);
    });
    return expr;
  });

  atom = this.RULE("atom", (): Expression => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.StringLiteral);
          return this.ACTION((): Expression => ({ type: "literal", value: unquote(t.image) }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberLiteral);
          return this.ACTION((): Expression => ({ type: "literal", value: Number(t.image) }));
        },
      },
      { ALT: () => (this.CONSUME(T.True), { type: "literal", value: true }) },
      { ALT: () => (this.CONSUME(T.False), { type: "literal", value: false }) },
      { ALT: () => (this.CONSUME(T.Null), { type: "literal", value: null }) },
      {
        ALT: () => {
          const t = this.CONSUME(T.Param);
          return this.ACTION((): Expression => ({ type: "param", name: t.image.slice(1), pos: pos(t) }));
        },
      },
      {
        ALT: () => {
          const items: Expression[] = [];
          this.CONSUME(T.LBracket);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE(this.expression)) });
          this.CONSUME(T.RBracket);
          return { type: "list", items } as Expression;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const inner = this.SUBRULE2(this.expression);
          this.CONSUME(T.RParen);
          return inner;
        },
      },
      { ALT: () => this.SUBRULE(this.functionCall) },
      {
        ALT: () => {
          const t = this.SUBRULE(this.variableToken);
          return this.ACTION((): Expression => ({ type: "variable", name: nameOf(t), pos: pos(t) }));
        },
      },
    ]);
  });

  functionCall = this.RULE("functionCall", (): Expression => {
    const nameToken = this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    const args: Expression[] = [];
    let star = false;
    let distinct = false;
    this.OR([
      { ALT: () => (this.CONSUME(T.Star), (star = true)) },
      {
        ALT: () => {
          this.OPTION(() => (this.CONSUME(T.Distinct), (distinct = true)));
          this.MANY_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.expression)) });
        },
      },
    ]);
    this.CONSUME(T.RParen);
    return this.ACTION((): Expression => {
      const call: Expression & { type: "call" } = { type: "call", name: nameToken.image, args, pos: pos(nameToken) };
      if (star) call.star = true;
      if (distinct) call.distinct = true;
      return call;
    });
  });
}

let shared: QueryParser | undefined;

function hintFor(err: IRecognitionException, found: IToken): string {
  if (found.tokenType.name === "EOF") {
    return err.message.includes("RETURN") || err.context?.ruleStack?.length === 1
      ? "a query ends with RETURN …, e.g. MATCH (p:Pod) RETURN p.name"
      : "the query ended early: close every '(' '[' '{' and finish the clause";
  }
  if (/expected '\)'/.test(err.message)) return "close the node pattern or parenthesis, e.g. (p:Pod {namespace: \"shop\"})";
  if (/expected '\]'/.test(err.message)) return "close the relationship, e.g. -[:POD_EXEC*1..3]->";
  if (/expected '\}'/.test(err.message)) return "property maps look like {name: \"value\", other: 1}";
  if (found.tokenType === T.StringLiteral && /a name/.test(err.message)) return "labels and property keys are bare names; quote values, not keys";
  return "queries look like MATCH (a:Pod)-[:KIND]->(b) WHERE a.name = \"x\" RETURN a, b";
}

/** Positions of the end of the text, for errors at end of query. */
function endPosition(text: string): SourcePos {
  const lines = text.split("\n");
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** Parses (and validates) explorer query text. Bad input: InputError "line L, column C: …". */
const MAX_NESTING = 64;
/** Binary operators per query: a chain of them is a left-deep tree every later pass recurses over. */
const MAX_OPERATORS = 1000;
const OPERATORS = new Set<TokenType>([T.And, T.Or, T.Xor, T.In, T.Contains, T.Starts, T.Ends, T.NotEquals, T.LessEquals, T.GreaterEquals, T.Less, T.Greater, T.Equals, T.Plus, T.Minus, T.Star, T.Slash, T.Percent]);

export function parseQuery(text: string): QueryModel {
  if (typeof text !== "string" || text.trim() === "") {
    throw new InputError("the query is empty (hint: e.g. MATCH (p:Pod) RETURN p.name)");
  }
  const lexed = T.queryLexer.tokenize(text);
  if (lexed.errors.length > 0) {
    const e = lexed.errors[0]!;
    const ch = text.substr(e.offset, 1);
    const hint = ch === '"' || ch === "'" ? "close the string on the same line" : ch === "`" ? "close the `quoted name`" : "remove the character or quote it inside a string";
    throw new InputError(`line ${e.line}, column ${e.column}: unexpected character '${ch}' (hint: ${hint})`);
  }
  // Write clauses are rejected up front so the message is about intent, not grammar.
  const tokens = lexed.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1]?.tokenType;
    if (T.WriteKeywords.includes(t.tokenType) && prev !== T.Dot && prev !== T.Colon && prev !== T.Pipe && prev !== T.As) {
      throw new InputError(
        `line ${t.startLine}, column ${t.startColumn}: ${t.image.toUpperCase()} is not supported (hint: queries are read-only; use MATCH … RETURN …)`,
      );
    }
  }
  // Nesting is bounded up front: the parser and evaluator recurse, and a stack overflow is not an answer.
  let depth = 0;
  let prefixRun = 0;
  let operators = 0;
  for (const t of tokens) {
    if (OPERATORS.has(t.tokenType) && ++operators > MAX_OPERATORS) {
      throw new InputError(`line ${t.startLine}, column ${t.startColumn}: the query has more than ${MAX_OPERATORS} operators (hint: use IN with a list parameter instead of long OR chains)`);
    }
    if (t.image === "(" || t.image === "[" || t.image === "{") depth++;
    else if (t.image === ")" || t.image === "]" || t.image === "}") depth--;
    // Prefix operators (NOT, unary minus) nest too: `NOT NOT … x` is as deep as it is long.
    prefixRun = t.tokenType === T.Not || t.tokenType === T.Minus || t.tokenType === T.Plus ? prefixRun + 1 : 0;
    if (depth > MAX_NESTING || prefixRun > MAX_NESTING) {
      throw new InputError(`line ${t.startLine}, column ${t.startColumn}: the query nests more than ${MAX_NESTING} levels deep (hint: flatten the expression)`);
    }
  }
  shared ??= new QueryParser();
  const parser = shared;
  parser.input = tokens;
  const model = parser.query();
  if (parser.errors.length > 0) {
    const err = parser.errors[0]!;
    const found = err.token;
    const at = found.tokenType.name === "EOF" || Number.isNaN(found.startLine) ? endPosition(text) : { line: found.startLine!, column: found.startColumn! };
    throw new InputError(`line ${at.line}, column ${at.column}: ${err.message} (hint: ${hintFor(err, found)})`);
  }
  validateQuery(model);
  return model;
}

function located(p: SourcePos | undefined, message: string, hint: string): InputError {
  return new InputError(`${p ? `line ${p.line}, column ${p.column}: ` : ""}${message} (hint: ${hint})`);
}

type VarKind = "node" | "relationship" | "path";

/** Semantic checks on a model, parsed or built by a UI: labels exist, variables are bound before use. */
export function validateQuery(model: QueryModel): void {
  if (model.version !== 1 || !Array.isArray(model.matches) || !model.return) throw new InputError("not an explorer query model (expected version 1 with matches and return)");
  const bound = new Map<string, VarKind>();
  const bind = (name: string | undefined, kind: VarKind, at: SourcePos | undefined) => {
    if (name === undefined) return;
    const prior = bound.get(name);
    if (prior && (prior !== kind || kind !== "node")) {
      throw located(at, `variable \`${name}\` is already bound as a ${prior}`, "use a different name for each relationship and path");
    }
    bound.set(name, kind);
  };
  const checkLabels = (groups: string[][], at: SourcePos | undefined) => {
    for (const group of groups) for (const label of group) resolveLabel(label, at);
  };
  for (const clause of model.matches) {
    for (const pattern of clause.patterns) {
      const nodes = [pattern.start, ...pattern.steps.map((s) => s.node)];
      for (const node of nodes) {
        checkLabels(node.labels, node.pos);
        bind(node.variable, "node", node.pos);
      }
      for (const step of pattern.steps) bind(step.relationship.variable, "relationship", step.relationship.pos);
      bind(pattern.variable, "path", pattern.start.pos);
      for (const node of nodes) for (const e of Object.values(node.properties)) checkExpression(e, bound, false);
      for (const step of pattern.steps) for (const e of Object.values(step.relationship.properties)) checkExpression(e, bound, false);
    }
    if (clause.where) checkExpression(clause.where, bound, false);
  }
  const ret = model.return;
  if (ret.star && bound.size === 0) throw new InputError("RETURN * needs at least one named variable (hint: name a node, e.g. MATCH (p:Pod) RETURN *)");
  const aliases = new Set<string>();
  for (const item of ret.items) {
    checkExpression(item.expression, bound, true);
    if (item.alias) aliases.add(item.alias);
  }
  const orderScope = new Map(bound);
  for (const a of aliases) orderScope.set(a, "node");
  for (const o of ret.orderBy) checkExpression(o.expression, orderScope, true);
}


function checkExpression(expr: Expression, bound: Map<string, VarKind>, aggregatesAllowed: boolean, insideAggregate = false): void {
  switch (expr.type) {
    case "variable":
      if (!bound.has(expr.name)) throw located(expr.pos, `variable \`${expr.name}\` is not defined`, "bind it in a MATCH pattern first, e.g. MATCH (n:Pod)");
      return;
    case "hasLabels":
      if (!bound.has(expr.variable)) throw located(expr.pos, `variable \`${expr.variable}\` is not defined`, "bind it in a MATCH pattern first");
      for (const group of expr.labels) for (const label of group) resolveLabel(label, expr.pos);
      return;
    case "property":
      return checkExpression(expr.object, bound, aggregatesAllowed, insideAggregate);
    case "list":
      return expr.items.forEach((e) => checkExpression(e, bound, aggregatesAllowed, insideAggregate));
    case "not":
    case "negate":
    case "isNull":
      return checkExpression(expr.operand, bound, aggregatesAllowed, insideAggregate);
    case "binary":
      checkExpression(expr.left, bound, aggregatesAllowed, insideAggregate);
      return checkExpression(expr.right, bound, aggregatesAllowed, insideAggregate);
    case "call": {
      const fn = queryFunction(expr.name);
      if (!fn) {
        throw located(expr.pos, `unknown function ${expr.name}()`, `available: ${QUERY_FUNCTIONS.map((f) => f.name).sort().join(", ")}`);
      }
      const aggregate = Boolean(fn.aggregate);
      if (aggregate && !aggregatesAllowed) throw located(expr.pos, `${expr.name}() is an aggregate and cannot be used here`, "aggregate in RETURN, e.g. RETURN n.namespace, count(*)");
      if (aggregate && insideAggregate) throw located(expr.pos, `${expr.name}() cannot be nested in another aggregate`, "aggregate plain values");
      if (expr.star && fn.name !== "count") throw located(expr.pos, `only count(*) accepts '*'`, "pass an expression, e.g. collect(n.name)");
      if (expr.distinct && !aggregate) throw located(expr.pos, `DISTINCT only applies to aggregates`, "e.g. count(DISTINCT n)");
      const [min, max] = fn.arity;
      if (!expr.star && (expr.args.length < min || expr.args.length > max)) throw located(expr.pos, arityText(fn), `see the function list in the explorer reference`);
      const broken = fn.check?.(expr);
      if (broken) throw located(expr.pos, broken[0], broken[1]);
      for (const a of expr.args) checkExpression(a, bound, aggregatesAllowed, insideAggregate || aggregate);
      return;
    }
    default:
      return;
  }
}
