/**
 * The hover over an image reference: what the registry says about it (Docker Hub's web API standing
 * in when the registry cannot be asked), the newer tags of its line, Hub's repository page, support
 * dates (offline), the report link and the build context. The registry gets a bounded wait; after
 * it the hover says it is fetching, and the fetch goes on into the cache. No connection here: the
 * edge hands in the model, the settings and the registry, and maps `'cancelled'` to LSP's error.
 */
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import { ClientCommand } from '../../../shared/protocol';
import type { RuleContext } from '../engine/rule';
import { contextLabel } from '../features/codeLens';
import { utcToday } from '../language/eolSupport';
import { imageAt } from '../language/imageAt';
import type { ImageRef } from '../language/imageRef';
import type { DockerfileModel } from '../language/model';
import type { HubClient } from '../registry/hub';
import { imageHover, type HoverState } from '../registry/hoverContent';
import { newerTags } from '../registry/pinning';
import { supportHover } from '../registry/supportHover';
import { RegistryError, type ImageDescription, type RegistryClient } from '../registry/types';

/** What a hover asks of the registry connection. */
export interface HoverRegistry {
  readonly registry: Pick<RegistryClient, 'describe' | 'tags'>;
  readonly hub: Pick<HubClient, 'tag' | 'repository'>;
}

/** A cancellation token, as LSP's requests carry one. */
export interface Cancellation {
  onCancellationRequested(listener: () => void): unknown;
}

export interface HoverRequest {
  readonly uri: string;
  readonly model: DockerfileModel;
  readonly position: Position;
  readonly targetPlatforms: readonly string[];
  readonly buildContext?: RuleContext['buildContext'];
}

export interface HoverOptions {
  /** How long the hover waits for the registry before saying it is fetching. */
  readonly waitMs?: number;
  readonly log: (line: string) => void;
  /** Told of every answer and failure, for the registry's status. */
  readonly onOutcome: (result: ImageDescription | RegistryError) => void;
  /** Support dates are judged as of this day. */
  readonly today?: () => string;
}

export class HoverService {
  constructor(private readonly options: HoverOptions) {}

  /** `null` off an image or without a registry; `'cancelled'` when the editor gave up first. */
  async hover(request: HoverRequest, connection: HoverRegistry | undefined, token: Cancellation): Promise<Hover | null | 'cancelled'> {
    const found = imageAt(request.model, request.position);
    if (!found || !connection) return null;
    const { ref, range } = found;
    const fetched = this.fetch(ref, connection);
    const cancelled = new Promise<'cancelled'>((resolve) => token.onCancellationRequested(() => resolve('cancelled')));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<HoverState>((resolve) => (timer = setTimeout(() => resolve({ loading: true }), this.options.waitMs ?? 2500)));
    // The fetch goes on and lands in the cache; only this answer is dropped.
    const state = await Promise.race([fetched, cancelled, waited]).finally(() => clearTimeout(timer));
    if (state === 'cancelled') return state;
    return { contents: { kind: MarkupKind.Markdown, value: this.markdown(request, ref, range, state) }, range };
  }

  private fetch(ref: ImageRef, { registry, hub }: HoverRegistry): Promise<HoverState> {
    // Docker Hub's web API stands in when its registry cannot be asked (pull limits, outages).
    const described = registry.describe(ref).catch(async (error: unknown) => (await hub.tag(ref).catch(() => undefined)) ?? Promise.reject(error));
    const fetched: Promise<HoverState> = Promise.all([described, ref.tag ? registry.tags(ref).catch(() => []) : [], hub.repository(ref).catch(() => undefined)]).then(
      ([description, tags, repository]) => ({ description, newer: ref.tag ? newerTags(ref.tag, tags) : [], ...(repository ? { hub: repository } : {}) }),
      (error: unknown) => ({ error: error instanceof RegistryError ? error : new RegistryError('invalid-response', 'unexpected failure; see the dockwise log.') }),
    );
    void fetched.then((state) => {
      if ('error' in state) this.options.log(`registry: ${ref.familiar}: ${state.error.message}`);
      if ('error' in state || 'description' in state) this.options.onOutcome('error' in state ? state.error : state.description);
    });
    return fetched;
  }

  private markdown(request: HoverRequest, ref: ImageRef, range: Range, state: HoverState): string {
    const described = 'description' in state;
    // Trouble and loading stay one short line; the report link and the context go with real data.
    const facts = described && request.model.stages.some((s) => s.base?.source.range === range) ? request.buildContext : undefined;
    const context = facts ? `\n\n---\n${contextLabel(facts)}` : '';
    const reportLink = described ? `\n\n[Open the base image report](command:${ClientCommand.showBaseImageReport}?${encodeURIComponent(JSON.stringify([request.uri, request.position]))})` : '';
    // Support dates are offline: shown whatever the registry answered.
    const support = supportHover(ref, (this.options.today ?? utcToday)());
    return `${imageHover(ref, state, request.targetPlatforms)}${support ? `\n\n${support}` : ''}${reportLink}${context}`;
  }
}
