import { initialsOf } from '../lib/initials';

/** A round picture, or initials when there is none. Decorative: the name is always shown beside it. */
export function Avatar({ name, image, size = 32 }: { name: string; image: string | null; size?: number }) {
  const initials = initialsOf(name);
  const style = { width: size, height: size };
  if (image) {
    // biome-ignore lint/performance/noImgElement: tiny Discord CDN images, served as they are (no sharp)
    return <img src={image} alt="" width={size} height={size} className="rounded-full" style={style} />;
  }
  return (
    <span
      aria-hidden="true"
      style={style}
      className="inline-flex items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700 dark:bg-brand-700 dark:text-white"
    >
      {initials || '?'}
    </span>
  );
}
