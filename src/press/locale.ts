// The language a person is written to in: their contact's, Vietnamese when it is unknown.
import { isLocale, type Locale } from '../i18n';

export const contactLocale = (contact: { locale: string }): Locale => (isLocale(contact.locale) ? contact.locale : 'vi');
