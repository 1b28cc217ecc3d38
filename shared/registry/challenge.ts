// WWW-Authenticate parsing (RFC 7235) for the two schemes registries use. Pure.

export interface Challenge {
  scheme: "basic" | "bearer" | string;
  params: Record<string, string>;
}

/** Parses one or more challenges; parameters keep their first value; unknown schemes are kept. */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  if (!header) return [];
  const out: Challenge[] = [];
  let i = 0;
  const s = header;
  const skipWs = () => {
    while (i < s.length && (s[i] === " " || s[i] === "\t" || s[i] === ",")) i++;
  };
  const token = () => {
    const m = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/.exec(s.slice(i));
    if (!m) return "";
    i += m[0].length;
    return m[0];
  };
  while (i < s.length) {
    skipWs();
    const scheme = token();
    if (!scheme) break;
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    for (;;) {
      skipWs();
      const save = i;
      const key = token();
      if (!key || s[i] !== "=") {
        // Not a parameter: the next challenge's scheme starts here.
        i = save;
        break;
      }
      i++; // '='
      let value = "";
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === "\\" && i + 1 < s.length) i++;
          value += s[i++];
        }
        i++;
      } else value = token();
      const k = key.toLowerCase();
      if (!(k in challenge.params)) challenge.params[k] = value;
    }
  }
  return out;
}
