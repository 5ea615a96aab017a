/**
 * Document links: each base image to its registry page, and each local COPY/ADD source to its file
 * in the build context. A source is linked only when the context's listing (read once for the
 * rules, kept until files change) holds it, and only when it really lies inside the context, which
 * `resolve` (the disk's realpath check) says once per path: repeated requests, as the user edits
 * and scrolls, touch no disk.
 */
import type { DocumentLink } from 'vscode-languageserver-types';
import { imageLinks, sourceLinks } from '../features/links';
import type { RuleContext } from '../engine/rule';
import type { DockerfileModel } from '../language/model';

export interface LinkContext {
  readonly buildContext: NonNullable<RuleContext['buildContext']>;
  /** Absolute folder of the build context. */
  readonly contextDir: string;
}

export interface LinksOptions<C extends LinkContext> {
  /** The file a context path is, when it lies inside the context in the workspace; undefined otherwise. */
  readonly resolve: (context: C, path: string) => string | undefined;
  readonly uriOf: (path: string) => string;
  /** How many resolved paths are kept. */
  readonly maxResolved?: number;
}

/** `src/`, `./app.py`, `a//b` as the listing writes them: `src`, `app.py`, `a/b`. */
function listed(path: string): string {
  return path.split('/').filter((part) => part !== '' && part !== '.').join('/') || '.';
}

export class LinksService<C extends LinkContext = LinkContext> {
  private readonly resolved = new Map<string, string | undefined>();

  constructor(private readonly options: LinksOptions<C>) {}

  links(model: DockerfileModel, context: C | undefined): DocumentLink[] {
    const images = imageLinks(model);
    if (!context) return images;
    const { paths, opaque = [] } = context.buildContext;
    // Folders listed but not entered (node_modules, .git): anything below them may exist.
    const mayExist = (path: string) => !paths || paths.has(path) || opaque.some((o) => path.startsWith(`${o}/`));
    return [
      ...images,
      ...sourceLinks(model).flatMap(({ range, path }) => {
        if (!mayExist(listed(path))) return [];
        const target = this.target(context, path);
        return target ? [{ range, target: this.options.uriOf(target), tooltip: 'Open in the build context' }] : [];
      }),
    ];
  }

  /** Files changed on disk: what was resolved may no longer hold. */
  forget(): void {
    this.resolved.clear();
  }

  private target(context: C, path: string): string | undefined {
    const key = `${context.contextDir}\0${path}`;
    if (this.resolved.has(key)) return this.resolved.get(key);
    const target = this.options.resolve(context, path);
    if (this.resolved.size >= (this.options.maxResolved ?? 5000)) this.resolved.clear();
    this.resolved.set(key, target);
    return target;
  }
}
