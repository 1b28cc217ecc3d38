// Tokens of the explorer's Cypher subset. Keywords are case-insensitive and all belong to the `Name`
// category, so `n.count`, `n.limit` or a `:Set` label still parse as names where a name is expected.
import { createToken, Lexer, type TokenType } from "chevrotain";

export const Name = createToken({ name: "Name", pattern: Lexer.NA });
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [Name] });
export const QuotedIdentifier = createToken({ name: "QuotedIdentifier", pattern: /`(?:[^`]|``)+`/, categories: [Name] });

function keyword(word: string, categories: TokenType[] = [], pattern = word): TokenType {
  return createToken({
    name: word,
    label: word,
    pattern: new RegExp(`${pattern}(?![A-Za-z0-9_])`, "i"),
    longer_alt: Identifier,
    categories: [Name, ...categories],
  });
}

/** Clauses that would change the graph: lexed so the parser can say "queries are read-only". */
export const WriteKeyword = createToken({ name: "WriteKeyword", pattern: Lexer.NA });
const WRITE_WORDS = ["CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "FOREACH", "LOAD", "CALL"];
export const WriteKeywords = WRITE_WORDS.map((w) => keyword(w, [WriteKeyword]));

export const Match = keyword("MATCH");
export const Optional = keyword("OPTIONAL");
export const Where = keyword("WHERE");
export const Return = keyword("RETURN");
export const Distinct = keyword("DISTINCT");
export const Order = keyword("ORDER");
export const By = keyword("BY");
export const Asc = keyword("ASC", [], "ASC(?:ENDING)?");
export const Desc = keyword("DESC", [], "DESC(?:ENDING)?");
export const Skip = keyword("SKIP");
export const Limit = keyword("LIMIT");
export const And = keyword("AND");
export const Or = keyword("OR");
export const Xor = keyword("XOR");
export const Not = keyword("NOT");
export const In = keyword("IN");
export const Contains = keyword("CONTAINS");
export const Starts = keyword("STARTS");
export const Ends = keyword("ENDS");
export const With = keyword("WITH");
export const Is = keyword("IS");
export const Null = keyword("NULL");
export const True = keyword("TRUE");
export const False = keyword("FALSE");
export const As = keyword("AS");

export const StringLiteral = createToken({ name: "StringLiteral", pattern: /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/ });
export const NumberLiteral = createToken({ name: "NumberLiteral", pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/ });
export const Param = createToken({ name: "Param", pattern: /\$[A-Za-z_][A-Za-z0-9_]*/ });

export const LParen = createToken({ name: "LParen", pattern: "(", label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: ")", label: "')'" });
export const LBracket = createToken({ name: "LBracket", pattern: "[", label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: "]", label: "']'" });
export const LBrace = createToken({ name: "LBrace", pattern: "{", label: "'{'" });
export const RBrace = createToken({ name: "RBrace", pattern: "}", label: "'}'" });
export const Comma = createToken({ name: "Comma", pattern: ",", label: "','" });
export const Colon = createToken({ name: "Colon", pattern: ":", label: "':'" });
export const Semicolon = createToken({ name: "Semicolon", pattern: ";", label: "';'" });
export const DotDot = createToken({ name: "DotDot", pattern: "..", label: "'..'" });
export const Dot = createToken({ name: "Dot", pattern: ".", label: "'.'" });
export const Pipe = createToken({ name: "Pipe", pattern: "|", label: "'|'" });
export const NotEquals = createToken({ name: "NotEquals", pattern: /<>|!=/, label: "'<>'" });
export const LessEquals = createToken({ name: "LessEquals", pattern: "<=", label: "'<='" });
export const GreaterEquals = createToken({ name: "GreaterEquals", pattern: ">=", label: "'>='" });
export const Less = createToken({ name: "Less", pattern: "<", label: "'<'" });
export const Greater = createToken({ name: "Greater", pattern: ">", label: "'>'" });
export const Equals = createToken({ name: "Equals", pattern: "=", label: "'='" });
export const Minus = createToken({ name: "Minus", pattern: "-", label: "'-'" });
export const Plus = createToken({ name: "Plus", pattern: "+", label: "'+'" });
export const Star = createToken({ name: "Star", pattern: "*", label: "'*'" });
export const Slash = createToken({ name: "Slash", pattern: "/", label: "'/'" });
export const Percent = createToken({ name: "Percent", pattern: "%", label: "'%'" });

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /\s+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  StringLiteral,
  NumberLiteral,
  Param,
  ...WriteKeywords,
  WriteKeyword,
  Match, Optional, Where, Return, Distinct, Order, By, Asc, Desc, Skip, Limit,
  And, Or, Xor, Not, In, Contains, Starts, Ends, With, Is, Null, True, False, As,
  Name,
  Identifier,
  QuotedIdentifier,
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Colon, Semicolon,
  DotDot, Dot, Pipe, NotEquals, LessEquals, GreaterEquals, Less, Greater, Equals,
  Minus, Plus, Star, Slash, Percent,
];

export const queryLexer = new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: false });
