import type { Status } from "../api/types";

/** Statuses as the page says them (and the status filter offers them). */
export const STATUS_WORDS: Record<Status, string> = {
  PENDING: "Pending",
  PROCESSING: "Processing",
  COMPLETED: "Completed",
  FAILED: "Failed",
};
