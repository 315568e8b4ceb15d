/**
 * Quoting untrusted values in explanations and error descriptions, safely. A value a client sent
 * (a JWT claim, a header field, a body member) may be anything JSON can hold — nested 5,000 deep,
 * or an object whose members are named `toString`/`valueOf` — and the message that says the value
 * is wrong must not crash on it (issue #14: `JSON.stringify` overflowed the stack on deep arrays and
 * `String({"toString":1})` threw, so a refusal became a 500). This renderer never calls a client
 * object's `toString`/`valueOf`/`toJSON` or getters, walks at most {@link MAX_DEPTH} levels, shows at
 * most {@link MAX_ITEMS} members per level, and cuts its output to a length: its cost and its
 * output are bounded whatever it is given.
 */

/** Levels of arrays/objects shown before a container is only described by kind and size. */
const MAX_DEPTH = 2;
/** Members shown per array/object; the rest are counted. */
const MAX_ITEMS = 5;

/**
 * Renders an untrusted value for a one-line explanation, at most about `max` characters: a string
 * JSON-quoted (escapes visible), a number/boolean/null as JSON writes it, an array or object
 * compactly up to two levels, deeper ones by kind and size (`[…1 item]`, `{…3 keys}`).
 *
 * @example
 * quoteUntrusted('a\nb') // '"a\\nb"'
 * quoteUntrusted({ toString: 1 }) // '{"toString":1}'
 * quoteUntrusted(JSON.parse('[[[[[]]]]]')) // '[[[…1 item]]]'
 * quoteUntrusted(undefined) // 'undefined'
 */
export function quoteUntrusted(value: unknown, max = 80): string {
  if (typeof value === 'string') return JSON.stringify(cut(value, max));
  return cut(render(value, 0, max), max);
}

function render(value: unknown, depth: number, max: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(cut(value, max));
    case 'number':
      // Template conversion of a primitive uses no prototype method; JSON writes NaN/Infinity as null, we show them.
      return `${value}`;
    case 'boolean':
    case 'undefined':
      return `${value}`;
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (value === null) return 'null';
  const isArray = Array.isArray(value);
  // Own enumerable keys only, read through descriptors: no getter, toString, valueOf or toJSON of the client's runs.
  const keys = isArray ? undefined : Object.keys(value as object);
  const size = isArray ? (value as unknown[]).length : keys!.length;
  if (depth >= MAX_DEPTH && size > 0) return isArray ? `[…${count(size, 'item')}]` : `{…${count(size, 'key')}}`;
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; i < Math.min(size, MAX_ITEMS) && length <= max; i++) {
    const key = isArray ? String(i) : keys![i]!;
    const member = render(Object.getOwnPropertyDescriptor(value, key)?.value, depth + 1, max);
    const part = isArray ? member : `${JSON.stringify(cut(key, max))}:${member}`;
    parts.push(part);
    length += part.length + 1;
  }
  const rest = size - parts.length;
  if (rest > 0) parts.push(`…+${rest}`);
  return isArray ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
