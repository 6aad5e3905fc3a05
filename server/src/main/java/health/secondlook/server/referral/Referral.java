package health.secondlook.server.referral;

import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/** A stored second-opinion referral: the BSeR ServiceRequest and the Task that fulfils it. */
record Referral(ServiceRequest serviceRequest, Task task) {}
