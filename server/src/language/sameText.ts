/**
 * Whether `a` from `atA` and `b` from `atB` hold the same `length` characters, compared in place: a
 * keystroke compares most of a document with its previous version, and slices or keys made of the
 * text would copy all of it each time.
 */
export function sameText(a: string, atA: number, b: string, atB: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (a.charCodeAt(atA + k) !== b.charCodeAt(atB + k)) return false;
  return true;
}
