import { imageTagLatest } from './image-tag-latest';
import type { Rule } from './rule';

/** Every rule dockwise knows, in the order their findings are reported. */
export const rules: readonly Rule[] = [imageTagLatest];

export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.meta.id, r]));
