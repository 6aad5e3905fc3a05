/**
 * Notifications: the referrer learns about each change to its referral Task without polling,
 * through FHIR R4 rest-hook Subscriptions served by HAPI's subscription support, delivered in
 * order.
 */
package health.secondlook.server.notification;
