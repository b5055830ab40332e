// Writes a JSON response straight into one growing Buffer: no output objects, no intermediate
// strings, no UTF-8 conversion when the response is sent. A value can be taken back (`rewind`)
// when a null has to replace an object that turned out invalid halfway.

const ESCAPE_OR_WIDE = /["\\\u0000-\u001f\u007f-\uffff]/;

export class JsonWriter {
  #buffer: Buffer;
  #length = 0;

  constructor(capacity = 16 * 1024) {
    this.#buffer = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Takes back everything written after `length`. */
  rewind(length: number): void {
    this.#length = length;
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return;
    let capacity = this.#buffer.length * 2;
    while (capacity < this.#length + bytes) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.#buffer.copy(next, 0, 0, this.#length);
    this.#buffer = next;
  }

  /** Text known to be plain ASCII without anything to escape (punctuation, names, numbers). */
  ascii(text: string): void {
    const length = text.length;
    this.#reserve(length);
    const buffer = this.#buffer;
    let at = this.#length;
    if (length < 24) {
      for (let i = 0; i < length; i++) buffer[at++] = text.charCodeAt(i);
      this.#length = at;
    } else {
      this.#length += buffer.write(text, at, length, 'latin1');
    }
  }

  /** Any text (already JSON), as UTF-8. */
  raw(text: string): void {
    this.#reserve(text.length * 3);
    this.#length += this.#buffer.write(text, this.#length, 'utf8');
  }

  /** A JSON string literal. */
  string(text: string): void {
    if (ESCAPE_OR_WIDE.test(text)) {
      const json = JSON.stringify(text);
      this.#reserve(json.length * 3);
      this.#length += this.#buffer.write(json, this.#length, 'utf8');
      return;
    }
    const length = text.length;
    this.#reserve(length + 2);
    const buffer = this.#buffer;
    let at = this.#length;
    buffer[at++] = 34;
    if (length < 24) {
      for (let i = 0; i < length; i++) buffer[at++] = text.charCodeAt(i);
    } else {
      at += buffer.write(text, at, length, 'latin1');
    }
    buffer[at++] = 34;
    this.#length = at;
  }

  /** Any JSON value, as `JSON.stringify` writes it. */
  value(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.string(value);
        return;
      case 'number':
        this.ascii(Number.isFinite(value) ? String(value) : 'null');
        return;
      case 'boolean':
        this.ascii(value ? 'true' : 'false');
        return;
      default: {
        if (value === null) {
          this.ascii('null');
          return;
        }
        const json = JSON.stringify(value) ?? 'null';
        this.#reserve(json.length * 3);
        this.#length += this.#buffer.write(json, this.#length, 'utf8');
      }
    }
  }

  /** The bytes written so far (a view: do not write after taking it). */
  bytes(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }

  toString(from = 0): string {
    return this.#buffer.toString('utf8', from, this.#length);
  }
}
