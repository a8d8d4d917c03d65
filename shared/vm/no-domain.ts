// Apart from vm-change-request.ts (zod) so the renderer can use it without bundling a schema library.
/**
 * The "definition" of a VM that does not exist: what a backup holds for a VM GPU Ferry created, and the
 * `after` of a review that removes it again (undoing the create; its disk image stays).
 */
export const NO_DOMAIN = '';
