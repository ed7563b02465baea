// Why a ticket action was refused, with the HTTP status and the stable error name the console shows.
export class TicketActionError extends Error {
  constructor(
    public readonly statusCode: 400 | 403 | 404 | 409,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TicketActionError';
  }
}
