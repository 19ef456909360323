/** What the worker project's global set-up (test/support/vendor-doubles-setup.ts) hands its tests. */
export interface VendorDoubles {
  readonly listmonk: { readonly url: string; readonly username: string; readonly token: string };
  readonly acton: {
    readonly url: string;
    readonly accountId: string;
    readonly credentials: { readonly username: string; readonly password: string; readonly clientId: string; readonly clientSecret: string };
  };
  readonly everlytic: { readonly url: string; readonly username: string; readonly apiKey: string };
  readonly expertsender: { readonly url: string; readonly apiKey: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    vendorDoubles: VendorDoubles;
  }
}
