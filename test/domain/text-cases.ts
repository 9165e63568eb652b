/**
 * Shared tables for the text rules of domain/shared/text.ts: every free-text field of the
 * domain is trimmed, counted in code points, and refuses control characters but newline
 * and tab.
 */

/** Control characters the rule refuses, embedded mid-text so trimming cannot remove them. */
export const FORBIDDEN_CONTROL_CHARACTERS: ReadonlyArray<readonly [string, string]> = [
  ['NUL', '\x00'],
  ['SOH', '\x01'],
  ['BEL', '\x07'],
  ['backspace', '\x08'],
  ['vertical tab', '\x0B'],
  ['form feed', '\x0C'],
  ['carriage return', '\r'],
  ['ESC', '\x1B'],
  ['unit separator', '\x1F'],
  ['DEL', '\x7F'],
  ['C1 PAD', '\x80'],
  ['C1 NEL', '\x85'],
  ['C1 APC', '\x9F'],
];

/** Texts with a control character somewhere trimming cannot reach. */
export function controlCharacterTexts(): Array<readonly [string, string]> {
  return [
    ...FORBIDDEN_CONTROL_CHARACTERS.map(([name, char]) => [`${name} in the middle`, `before${char}after`] as const),
    ['NUL at the end', 'text\x00'] as const,
    ['NUL at the start', '\x00text'] as const,
    ['only a NUL', '\x00'] as const,
  ];
}

/** Blank texts: nothing is left after trimming. */
export const BLANK_TEXTS: ReadonlyArray<readonly [string, string]> = [
  ['empty', ''],
  ['spaces', '   '],
  ['newlines and tabs', '\n\t \n'],
  ['no-break and ideographic spaces', '\u00A0\u3000'],
];

/** Text of `length` code points built from an astral character (2 UTF-16 units each). */
export function astral(length: number): string {
  return '😀'.repeat(length);
}

/** Ill-formed Unicode: half a surrogate pair, wherever it sits (issue 12). */
export const LONE_SURROGATE_TEXTS: ReadonlyArray<readonly [string, string]> = [
  ['a high surrogate alone', 'ab\uD800cd'],
  ['a low surrogate alone', 'ab\uDFFFcd'],
  ['a pair cut at the end', 'hello \uD83D'],
  ['a pair reversed', '\uDE00\uD83D'],
];

/** Bidi embeddings, overrides and isolates (CVE-2021-42574), wherever they sit. */
export const BIDI_CONTROL_TEXTS: ReadonlyArray<readonly [string, string]> = [
  ['RLO (right-to-left override)', 'invoice\u202Efdp.exe'],
  ['LRO', 'a\u202Db'],
  ['RLE', 'a\u202Bb'],
  ['PDF', 'a\u202Cb'],
  ['LRI', 'a\u2066b'],
  ['RLI', 'a\u2067b'],
  ['FSI', 'a\u2068b'],
  ['PDI', 'a\u2069b'],
];
