import type { TermsDocument } from './types';
import terms20200821 from './texts/2020-08-21.json';
import terms20270401 from './texts/2027-04-01.json';

/**
 * Terms of use (口座連携サービス利用規定) keyed by version id (the revision date).
 *
 * - '2020-08-21': the bank's current terms, rebuilt character-exact from
 *   ./source/2020-08-21.txt (PDF extraction).
 * - '2027-04-01': ANNOUNCED FUTURE demo revision for the sandbox (invented demo
 *   data): adds Art. 4 para. 2 and changes the revision note.
 */
export const termsDocuments: Record<string, TermsDocument> = {
  '2020-08-21': terms20200821,
  '2027-04-01': terms20270401,
};
