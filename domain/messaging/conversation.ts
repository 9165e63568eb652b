/** A conversation as members list them: the pair and when it last moved. */
export interface ConversationSummary {
  id: string;
  participantIds: [string, string];
  lastMessageAt: Date;
  createdAt: Date;
}
