// Why a press-center action was refused: the HTTP status and the stable error name the console
// (and the bot, which words it for the person) reads. Same shape as TicketActionError, so the
// server's error handler answers { error: code, message }.
export class PressError extends Error {
  constructor(
    public readonly statusCode: 400 | 403 | 404 | 409,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PressError';
  }
}
