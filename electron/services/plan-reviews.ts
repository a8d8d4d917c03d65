// Plans kept in the main process for review: plan.make computes a plan and remembers it (with the goal and
// options it came from) under a one-time id; plan.apply takes only that id. The renderer never sends a
// plan back, and root recomputes the plan from the goal and options anyway (electron/privileged/).
import { randomUUID } from 'node:crypto';
import type { PlanReview } from '../../shared/plan/model';
import { planFingerprint } from '../privileged/fingerprint';
import type { ReviewedPlan } from '../system/helper-runner';

/** Reviews kept at once; older ones are forgotten (the person makes the plan again). */
const MAX_REVIEWS = 16;

export class PlanReviews {
  private readonly reviews = new Map<string, ReviewedPlan>();

  remember(reviewed: ReviewedPlan): PlanReview {
    const id = randomUUID();
    this.reviews.set(id, reviewed);
    for (const old of this.reviews.keys()) if (this.reviews.size > MAX_REVIEWS) this.reviews.delete(old);
    return { id, fingerprint: planFingerprint(reviewed.plan), plan: reviewed.plan };
  }

  /** The review, removed: an id applies once. */
  take(id: string): ReviewedPlan | null {
    const reviewed = this.reviews.get(id) ?? null;
    this.reviews.delete(id);
    return reviewed;
  }
}
