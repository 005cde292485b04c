export interface ReceivedMessageRow {
  peer_region: string;
  message_id: string;
  action: string;
  received_at: Date;
}

export interface FederationTables {
  'federation.received_messages': ReceivedMessageRow;
}
