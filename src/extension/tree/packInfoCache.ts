/**
 * What the Experiments tree has read of each pack, served stale while a fresh read is under way.
 *
 * Why stale: VS Code's extension host registers a node's children under the parent node it saw when
 * it asked for them. If the tree redraws that parent while the children are being read (an awaited
 * disk read), the parent is replaced, the children are left registered under the old one, and the next
 * read of them fails with "Element with id … is already registered": the row stays expanded with no
 * children. So a changed pack is read first and redrawn only once its new details are in hand; every
 * redraw and every read of children then finishes without waiting on the disk.
 */
import type { PackRef } from '../../core/discovery';
import type { PackInfo } from '../../core/packInfo';

export type LoadInfo = (pack: PackRef) => Promise<PackInfo>;

export class PackInfoCache {
  private readonly infos = new Map<string, Promise<PackInfo>>();
  /** The newest read of each pack: an older read that ends later must not overwrite it. */
  private readonly latest = new Map<string, Promise<PackInfo>>();

  constructor(private readonly load: LoadInfo) {}

  /** The pack's details: read once, then the last read that finished, until `reread` replaces it. */
  get(pack: PackRef): Promise<PackInfo> {
    let info = this.infos.get(pack.dir);
    if (!info) {
      info = this.load(pack);
      this.infos.set(pack.dir, info);
      // A failed first read is not kept: the next redraw reads again.
      info.catch(() => {
        if (this.infos.get(pack.dir) === info) this.infos.delete(pack.dir);
      });
    }
    return info;
  }

  /**
   * Reads these packs again and resolves once what is served is the new reading (or, where the read
   * failed, nothing, so the next `get` reads again). Until then `get` serves the old details.
   */
  async reread(packs: PackRef[]): Promise<void> {
    await Promise.all(
      packs.map(async (pack) => {
        const read = this.load(pack);
        this.latest.set(pack.dir, read);
        const settled = await read.then(
          () => true,
          () => false,
        );
        if (this.latest.get(pack.dir) !== read) return;
        this.latest.delete(pack.dir);
        if (settled) this.infos.set(pack.dir, read);
        else this.infos.delete(pack.dir);
      }),
    );
  }

  /** Forgets every pack: for a tree redrawn from its root, which reads anew. */
  clear(): void {
    this.infos.clear();
    this.latest.clear();
  }
}
