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
