import { ValidationError } from './domain-error';

// C0 controls but tab (\x09) and newline (\x0A), DEL, and the C1 range.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\x00-\x08\x0B-\x1F\x7F-\x9F]/;

export interface TextRule {
  field: string;
  min: number;
  max: number;
}

/**
 * Trims `value` and checks its length in characters (code points) and that it holds no
 * control character but newline and tab. Returns the trimmed text.
 */
export function requireText(value: string, rule: TextRule): string {
  // Windows line endings are newlines, not control characters.
  const text = value.replace(/\r\n/g, '\n').trim();
  const length = [...text].length;
  if (FORBIDDEN_CONTROL.test(text)) {
    throw new ValidationError('TEXT.CONTROL_CHARACTER', `${rule.field} contains a control character`, rule.field);
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
