import { isKindCompatible, type Kind } from '../kinds.js';
import { fail, type Place } from './fail.js';

/**
 * The kinds pass, run on each selector as it is bound (not after all of them), so that when a
 * definition has several problems the first one in writing order is the one reported.
 */
export function checkKinds(given: readonly Kind[], accepted: readonly Kind[], where: Place): void {
  if (accepted.length > 0 && !isKindCompatible(given, accepted)) {
    fail(`kind mismatch: the selector gives [${given.join(', ')}] but the property accepts [${accepted.join(', ')}]`, where);
  }
}
