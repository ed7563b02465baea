// Journalists' profiles: given in the conversation (savePressProfile), verified by a press officer.
import type { Db } from '../db/database';
import type { PressProfile } from '../generated/prisma/client';
import { storableText } from '../messages/storable';
import type { Tx } from '../messages/store';
import { PressError } from './errors';

export interface PressProfileFields {
  name: string;
  newsroom: string;
  pressCardNumber: string;
  /** The message that carried the photo of the press card. */
  cardPhotoMessageId?: string | null;
  phone?: string | null;
  email?: string | null;
  /** When the person agreed that the press center keeps these details. */
  consentGivenAt?: Date | null;
}

/**
 * Creates or updates the contact's profile. A change of name, newsroom or card number undoes the
 * verification: the officer verified the old details, not the new ones.
 */
export async function savePressProfile(tx: Tx, contactId: string, fields: PressProfileFields): Promise<PressProfile> {
  const data = {
    name: storableText(fields.name.trim()),
    newsroom: storableText(fields.newsroom.trim()),
    pressCardNumber: storableText(fields.pressCardNumber.trim()),
    ...(fields.cardPhotoMessageId !== undefined ? { cardPhotoMessageId: fields.cardPhotoMessageId } : {}),
    ...(fields.phone !== undefined ? { phone: fields.phone } : {}),
    ...(fields.email !== undefined ? { email: fields.email } : {}),
    ...(fields.consentGivenAt !== undefined ? { consentGivenAt: fields.consentGivenAt } : {}),
  };
  const existing = await tx.pressProfile.findUnique({ where: { contactId } });
  if (!existing) return tx.pressProfile.create({ data: { contactId, ...data } });
  const changed =
    existing.name !== data.name || existing.newsroom !== data.newsroom || existing.pressCardNumber !== data.pressCardNumber;
  return tx.pressProfile.update({
    where: { contactId },
    data: { ...data, ...(changed ? { verifiedAt: null, verifiedById: null } : {}) },
  });
}

export async function verifyPressProfile(db: Db, profileId: string, staffId: string): Promise<PressProfile> {
  const profile = await db.pressProfile.findUnique({ where: { id: profileId } });
  if (!profile) throw new PressError(404, 'profile_not_found', 'No such press profile.');
  if (profile.verifiedAt) return profile;
  return db.pressProfile.update({ where: { id: profileId }, data: { verifiedAt: new Date(), verifiedById: staffId } });
}
