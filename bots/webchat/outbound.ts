// Delivering to a web chat = publishing to the conversation's live sockets on every node.
// The message is already stored, so a person who is offline gets it by replay on reconnect.
import type { ChannelAdapter, OutboundMessage } from '../../src/channels/types';
import type { ChatBus } from '../../src/chat-bus/types';
import { toFrame, webchatTopic } from '../../src/webchat/sessions';

export class WebchatAdapter implements ChannelAdapter {
  readonly channel = 'webchat' as const;

  constructor(private readonly bus: ChatBus) {}

  async send(message: OutboundMessage): Promise<void> {
    const frame = toFrame({
      seq: message.seq,
      author: message.author,
      text: message.text,
      buttons: message.buttons,
      attachments: (message.images ?? []).map((url) => ({ type: 'image', url })),
    });
    await this.bus.publish(webchatTopic(message.conversationId), { ...frame });
  }
}
