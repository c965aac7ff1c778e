/**
 * GitHub-style heading ids: lower case, markup and punctuation (but `_` and `-`) dropped, spaces to hyphens. The pages link
 * to each other's headings as `faucets.md#cooldowns`, which must work both here and on GitHub, so the site
 * uses GitHub's rule instead of VitePress's own.
 */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[`*~[\]()]/g, '')
    .replace(/&[a-z]+;/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}
