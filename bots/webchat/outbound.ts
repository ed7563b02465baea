// Delivering to a web chat = ringing the conversation's bell on every node. The message is
// already stored; each open socket reads it from the database (in seq order, once), and a person
// who is offline gets it by replay on reconnect.
import type { ChannelAdapter, OutboundMessage } from '../../src/channels/types';
import type { ChatBus } from '../../src/chat-bus/types';
import { webchatTopic } from '../../src/webchat/sessions';

export class WebchatAdapter implements ChannelAdapter {
  readonly channel = 'webchat' as const;

  constructor(private readonly bus: ChatBus) {}

  async send(message: OutboundMessage): Promise<void> {
    await this.bus.publish(webchatTopic(message.conversationId), { seq: message.seq });
  }
}
