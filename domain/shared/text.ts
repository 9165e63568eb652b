import { ValidationError } from './domain-error';

// C0 controls but tab (\x09) and newline (\x0A), DEL, and the C1 range.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\x00-\x08\x0B-\x1F\x7F-\x9F]/;
// In unicode mode a well-formed pair is one code point, so only half a pair matches: text
// no UTF-8 encoder can write faithfully (it becomes U+FFFD somewhere down the line).
const LONE_SURROGATE = /\p{Cs}/u;
// Bidi embeddings, overrides and isolates reorder what follows them: a name or message
// that displays as something else than it is (CVE-2021-42574, "Trojan Source"). The marks
// (U+200E, U+200F, U+061C) cannot reorder anything and right-to-left writing needs them.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** Whether `text` holds half a UTF-16 surrogate pair (ill-formed Unicode). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Whether `text` holds a bidi embedding, override or isolate control. */
export function hasBidiControl(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

export interface TextRule {
  field: string;
  min: number;
  max: number;
}

/**
 * Trims `value` and checks its length in characters (code points), that it holds no
 * control character but newline and tab, no lone surrogate and no bidi control. Returns
 * the trimmed text.
 */
export function requireText(value: string, rule: TextRule): string {
  // Windows line endings are newlines, not control characters.
  const text = value.replace(/\r\n/g, '\n').trim();
  const length = [...text].length;
  if (FORBIDDEN_CONTROL.test(text)) {
    throw new ValidationError('TEXT.CONTROL_CHARACTER', `${rule.field} contains a control character`, rule.field);
  }
  if (hasLoneSurrogate(text)) {
    throw new ValidationError('TEXT.ILL_FORMED_UNICODE', `${rule.field} is not well-formed Unicode (lone surrogate)`, rule.field);
  }
  if (hasBidiControl(text)) {
    throw new ValidationError('TEXT.BIDI_CONTROL', `${rule.field} contains a bidirectional control character`, rule.field);
  }
  if (length < rule.min) {
    throw new ValidationError('TEXT.TOO_SHORT', `${rule.field} must not be empty`, rule.field);
  }
  if (length > rule.max) {
    throw new ValidationError('TEXT.TOO_LONG', `${rule.field} must be at most ${rule.max} characters`, rule.field);
  }
  return text;
}

/** Like requireText, but absent or blank text is `null`. */
export function optionalText(value: string | null | undefined, rule: Omit<TextRule, 'min'>): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requireText(value, { ...rule, min: 1 });
}
