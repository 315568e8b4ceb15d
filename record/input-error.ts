/**
 * An input that cannot be read, placed where a person can fix it: `file: field: problem`. The
 * recording reader, the WireMock importer and the explained-differences loader each name their own
 * subclass, so callers can tell them apart; the shape and the message are this one.
 */

/**
 * @example
 * new InputError('a.json', 'mappings[0].response', 'expected an object').message // 'a.json: mappings[0].response: expected an object'
 */
export class InputError extends Error {
  readonly file: string;
  readonly field: string;
  constructor(file: string, field: string, problem: string) {
    super(`${file}: ${field}: ${problem}`);
    this.name = new.target.name;
    this.file = file;
    this.field = field;
  }
}
