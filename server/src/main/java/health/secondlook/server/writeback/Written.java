package health.secondlook.server.writeback;

/**
 * A resource as the referring EHR holds it after a write.
 *
 * @param reference {@code Type/id} at the EHR
 * @param created whether this write made it; false when it was already there (a conditional create
 *     that matched) or was updated
 */
record Written(String reference, boolean created) {}
