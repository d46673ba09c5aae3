// Patterns for what must never reach the encoder, let alone the network: contact details and
// payment numbers a shopper may type into a search box. Shared by the page (capture) and the
// worker so both scrub the same way. Order matters: emails and IBANs before the digit runs
// that would otherwise eat their digits.
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;
// A digit run of 13-19 digits, optionally grouped by spaces or dashes (never ending in one).
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const PHONE = /\+?\d[\d ().-]{7,}\d/g;

/** Replaces PII-looking substrings (emails, IBANs, card-like digit runs, phone numbers) with a marker. */
export function scrubPii(text: string): string {
  return text.replace(EMAIL, '[email]').replace(IBAN, '[iban]').replace(CARD, '[number]').replace(PHONE, '[phone]');
}
