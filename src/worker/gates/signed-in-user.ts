/**
 * A page's signed-in user, on every route a page may call with a JWT: an address whose tokens keep failing is
 * refused before its next signature check (rate-limit.ts's failure block), and each token that fails counts
 * against its address. Shared by every route, so forged tokens cost an attacker the same budget wherever sent.
 */
import type { JwtConfig, RateLimiter } from "../env.ts";
import { Refusal } from "../problem.ts";
import { bearerToken, verifyJwt, type VerifiedUser } from "./jwt.ts";
import { clientIp, countFailure, ipRateKey, refuseWhileBlocked } from "./rate-limit.ts";

/**
 * The user the request's `Authorization: Bearer <JWT>` names; an `unauthenticated` refusal (counted against the
 * client's address) or, once its address failed too often, a `rate_limited` one without looking at the token.
 *
 * @example
 * const user = await authenticateUser(request, env.BROWSER_RATE_LIMIT, config.jwt);
 * await limitRate(env.BROWSER_RATE_LIMIT, `user:${user.subject}`);
 */
export async function authenticateUser(request: Request, limiter: RateLimiter, jwt: JwtConfig | undefined): Promise<VerifiedUser> {
  const failures = `jwt:${ipRateKey(clientIp(request))}`;
  refuseWhileBlocked(failures);
  try {
    return await verifyJwt(bearerToken(request), jwt);
  } catch (error) {
    if (error instanceof Refusal && error.problem.kind === "unauthenticated") await countFailure(limiter, failures);
    throw error;
  }
}
