/** A sandbox vendor: the vendor's HTTP API as a fetch handler, at the vendor's own paths (a txgate/testing fake). */
export type SandboxVendor = (request: Request) => Promise<Response>;
