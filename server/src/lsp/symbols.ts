/**
 * Workspace symbols (Ctrl+T) from an index: the workspace is scanned once, at the first query, each
 * closed Dockerfile read and parsed once, and file events keep it current (a change drops that
 * file's symbols until the next query reads it again; creations and deletions add and remove it).
 * A query only filters what is kept, so after the first it reads nothing. Open documents answer
 * from their own model.
 */
import type { SymbolInformation } from 'vscode-languageserver-types';
import { fuzzyMatch, workspaceSymbols } from '../features/outline';
import type { DockerfileModel } from '../language/model';

export interface SymbolSource {
  /** The URIs of the workspace's Dockerfiles (a scan of every folder). */
  list(): Promise<readonly string[]>;
  /** The model of a Dockerfile on disk; undefined when it cannot be read or is not analysed. */
  read(uri: string): DockerfileModel | undefined;
}

export type FileEvent = { readonly uri: string; readonly type: 'created' | 'changed' | 'deleted' };

export class WorkspaceSymbolIndex {
  /** Symbols by URI; `undefined` until read (or after a change). */
  private files?: Map<string, readonly SymbolInformation[] | undefined>;
  private scanning?: Promise<Map<string, readonly SymbolInformation[] | undefined>>;
  /** Events that arrive while the first scan runs, applied when it is done. */
  private early: FileEvent[] = [];

  constructor(
    private readonly source: SymbolSource,
    /** At most this many files are indexed; a workspace beyond it is searched in its first ones. */
    private readonly maxFiles = 20_000,
  ) {}

  async query(query: string, open: readonly DockerfileModel[]): Promise<SymbolInformation[]> {
    const files = await this.scan();
    const openUris = new Set(open.map((m) => m.document.uri));
    const closed: SymbolInformation[] = [];
    for (const [uri, known] of files) {
      if (openUris.has(uri)) continue;
      let symbols = known;
      if (!symbols) {
        const model = this.source.read(uri);
        symbols = model ? workspaceSymbols(model, '') : [];
        files.set(uri, symbols);
      }
      for (const symbol of symbols) if (fuzzyMatch(query, symbol.name)) closed.push(symbol);
    }
    return [...open.flatMap((m) => workspaceSymbols(m, query)), ...closed];
  }

  /** Dockerfiles created, changed or deleted on disk. */
  update(events: readonly FileEvent[]): void {
    if (!this.files) {
      if (this.scanning) this.early.push(...events);
      return;
    }
    for (const { uri, type } of events) {
      if (type === 'deleted') this.files.delete(uri);
      else if (type === 'changed' ? this.files.has(uri) : this.files.size < this.maxFiles) this.files.set(uri, undefined);
    }
  }

  /** How many files the index holds, and how many of them are read (for tests and the bench). */
  size(): { readonly files: number; readonly read: number } {
    const files = [...(this.files?.values() ?? [])];
    return { files: files.length, read: files.filter((s) => s !== undefined).length };
  }

  private scan(): Promise<Map<string, readonly SymbolInformation[] | undefined>> {
    if (this.files) return Promise.resolve(this.files);
    this.scanning ??= this.source.list().then((uris) => {
      this.files = new Map(uris.slice(0, this.maxFiles).map((uri) => [uri, undefined]));
      this.update(this.early.splice(0));
      return this.files;
    });
    return this.scanning;
  }
}
