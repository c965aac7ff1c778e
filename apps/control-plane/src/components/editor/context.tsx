'use client';

import type { EconomyConfig } from '@guildmint/sdk';
import { createContext, type ReactNode, useContext } from 'react';
import { getAt, type Path, pathKey } from '../../lib/paths';

/**
 * The draft being edited. Typed as the SDK's config, but it is a draft: a field the user cleared
 * may be missing until the SDK's schema (run on every change) says what is wrong with it.
 */
export type Draft = EconomyConfig;

export interface EditorState {
  draft: Draft;
  set(path: Path, value: unknown): void;
  /** The SDK's message for exactly this field, if any. */
  issue(path: Path): string | undefined;
  /** How many problems sit at or below this path (for section headings). */
  issuesUnder(path: Path): number;
  /** Settings a newly offered game starts from (the classic preset's, from the server). */
  defaults: { games: EconomyConfig['games'] };
}

const EditorContext = createContext<EditorState | null>(null);

export function EditorProvider({ value, children }: { value: EditorState; children: ReactNode }) {
  return <EditorContext.Provider value={value}>{children}</EditorContext.Provider>;
}

export function useEditor(): EditorState {
  const state = useContext(EditorContext);
  if (!state) throw new Error('useEditor outside the editor');
  return state;
}

/** One field's value, setter and error. */
export function useFieldAt(path: Path) {
  const { draft, set, issue } = useEditor();
  return {
    value: getAt(draft, path),
    set: (value: unknown) => set(path, value),
    error: issue(path),
    key: pathKey(path),
  };
}
