import { Inject, Injectable } from '@nestjs/common';
import { AccessMode, resolveTicketSecret, signTicket } from '@quire/collab-core';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { Actor, DomainError } from '@quire/core';
import { PortraitsService } from './portraits.service';

export interface CollabTicket {
  /** Pass as the `ticket` URL parameter of the WebSocket connection. */
  ticket: string;
  /** The WebSocket address to give the provider; the document name follows it. */
  url: string;
  documentName: string;
  expiresAt: Date;
  /** What the connection may do as things stand now (the collab service re-checks it live). */
  access: AccessMode;
}

/** Issues the short-lived signed tickets that open a collaboration connection. */
@Injectable()
export class CollabTicketsService {
  private readonly secret: string;

  constructor(
    private readonly portraits: PortraitsService,
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
  ) {
    this.secret = resolveTicketSecret(config.collab.ticketSecret, config.dataDir);
  }

  async forPortrait(actor: Actor, portraitId: string): Promise<CollabTicket> {
    if (actor.kind !== 'user') throw DomainError.unauthenticated();
    const { mode, documentName } = await this.portraits.accessOf(actor, portraitId);
    const expiresAt = new Date(Date.now() + this.config.collab.ticketTtlSeconds * 1000);
    const ticket = signTicket(this.secret, { userId: actor.userId, documentName, expiresAt: expiresAt.getTime() });
    return { ticket, url: this.config.collab.publicUrl, documentName, expiresAt, access: mode };
  }
}
