// Patterns for what must never reach the worker, let alone the network: contact details and
// payment numbers a shopper may type into a search box.
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const PHONE = /\+?\d[\d ().-]{7,}\d/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;

/** Replaces PII-looking substrings with a marker; the rest of the text stays useful. */
export function scrubPii(text: string): string {
  return text.replace(EMAIL, '[email]').replace(IBAN, '[iban]').replace(CARD, '[number]').replace(PHONE, '[phone]');
}
