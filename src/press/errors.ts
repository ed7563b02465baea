// Why a press-center action was refused: the same refusal as a ticket action (HTTP status and the
// stable error name the console reads; the bot words it for the person), named for the press
// center so the conversation can tell its refusals apart from a ticket's.
import { TicketActionError } from '../tickets/errors';

export class PressError extends TicketActionError {
  override readonly name = 'PressError';
}
