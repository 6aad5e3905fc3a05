package health.secondlook.server.web;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.secondlook.server.launch.SignedInUser;
import health.secondlook.server.referral.ReferralTasks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The specialist's pages: the worklist of referrals addressed to their organisation, most urgent
 * first; the packet viewer with its signature badge; accepting, rejecting or asking for more
 * information; and a viewer for a packet file received by other means, checked the same way.
 * Reviews are written on {@link ReviewPages}. A referral addressed to another organisation is "not
 * found".
 */
@Controller
@RequestMapping("/specialist")
class SpecialistPages {

  private final SecondLookApi api;
  private final PageTerminology terminology;
  private final SpecialistReferrals referrals;
  private final LaunchedSession session;
  private final Clock clock;

  SpecialistPages(
      SecondLookApi api,
      PageTerminology terminology,
      SpecialistReferrals referrals,
      LaunchedSession session,
      Clock clock) {
    this.session = session;
    this.api = api;
    this.terminology = terminology;
    this.referrals = referrals;
    this.clock = clock;
  }

  @GetMapping
  String worklist(@AuthenticationPrincipal SignedInUser user, Model model) {
    model.addAttribute("rows", referrals.worklist(user.partyName(), today()));
    model.addAttribute("organisation", user.partyName());
    return "specialist/worklist";
  }

  /**
   * Where a launch from the specialist's own EHR lands: the Task in context is that EHR's copy of
   * the referral, which names SecondLook's Task by its URL.
   */
  @GetMapping("/launched")
  String launched(
      @AuthenticationPrincipal SignedInUser user,
      org.springframework.security.core.Authentication authentication,
      jakarta.servlet.http.HttpServletRequest request,
      Model model) {
    return referrals
        .fromLaunchContext(user, session.accessToken(authentication, request).orElse(null))
        .map(id -> "redirect:/specialist/referrals/" + id)
        .orElseGet(
            () -> {
              model.addAttribute("title", "The referral could not be found");
              model.addAttribute(
                  "detail",
                  "Your EHR opened SecondLook for "
                      + String.join(", ", user.contextReferences())
                      + ", which does not name a SecondLook referral addressed to "
                      + user.partyName()
                      + ". Open it from your worklist instead.");
              return "launch/problem";
            });
  }

  @GetMapping("/referrals/{id}")
  String referral(
      @AuthenticationPrincipal SignedInUser user, @PathVariable String id, Model model) {
    Task task = referrals.owned(user, id);
    model.addAttribute("referral", ReferralView.of(task, today()));
    model.addAttribute("patient", referrals.patient(task).map(PatientBanner::of).orElse(null));
    model.addAttribute("packetItems", terminology.packetItems());
    ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT)
        .map(reference -> read(new IdType(reference)))
        .ifPresent(packet -> model.addAttribute("packet", PacketView.of(packet, verify(packet))));
    return "specialist/referral";
  }

  @GetMapping("/referrals/{id}/attachments/{index}")
  ResponseEntity<byte[]> attachment(
      @AuthenticationPrincipal SignedInUser user,
      @PathVariable String id,
      @PathVariable int index) {
    Task task = referrals.owned(user, id);
    Bundle packet =
        ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT)
            .map(reference -> read(new IdType(reference)))
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    List<Attachment> attachments = PacketView.attachments(packet);
    if (index < 0 || index >= attachments.size()) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }
    Attachment attachment = attachments.get(index);
    byte[] data = attachment.hasData() ? attachment.getData() : stayedOnSecondLook(attachment);
    String name =
        (attachment.hasTitle() ? attachment.getTitle() : "attachment-" + index)
            .replaceAll("[^A-Za-z0-9 ._-]", "_");
    return ResponseEntity.ok()
        .contentType(
            MediaType.parseMediaType(
                attachment.hasContentType()
                    ? attachment.getContentType()
                    : "application/octet-stream"))
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
        .body(data);
  }

  @PostMapping("/referrals/{id}/accept")
  String accept(
      @AuthenticationPrincipal SignedInUser user,
      @PathVariable String id,
      RedirectAttributes flash) {
    return move(user, id, TaskStatus.ACCEPTED, null, flash);
  }

  @PostMapping("/referrals/{id}/start")
  String start(
      @AuthenticationPrincipal SignedInUser user,
      @PathVariable String id,
      RedirectAttributes flash) {
    return move(user, id, TaskStatus.INPROGRESS, null, flash);
  }

  @PostMapping("/referrals/{id}/reject")
  String reject(
      @AuthenticationPrincipal SignedInUser user,
      @PathVariable String id,
      @RequestParam(defaultValue = "") String reason,
      RedirectAttributes flash) {
    if (reason.isBlank()) {
      flash.addFlashAttribute("errors", List.of("Give the reason for rejecting the referral."));
      return "redirect:/specialist/referrals/" + id;
    }
    return move(user, id, TaskStatus.REJECTED, reason.strip(), flash);
  }

  @PostMapping("/referrals/{id}/request-information")
  String requestInformation(
      @AuthenticationPrincipal SignedInUser user,
      @PathVariable String id,
      @RequestParam(name = "item", required = false) List<String> items,
      @RequestParam(defaultValue = "") String note,
      RedirectAttributes flash) {
    referrals.owned(user, id);
    Parameters parameters = new Parameters();
    for (String item : items == null ? List.<String>of() : items) {
      parameters.addParameter(
          "item",
          new Coding(
              health.secondlook.terminology.TerminologyContent.PACKET_ITEM_SYSTEM, item, null));
    }
    if (!note.isBlank()) {
      parameters.addParameter("note", new StringType(note.strip()));
    }
    try {
      api.client()
          .operation()
          .onInstance(new IdType("Task", id))
          .named("$request-information")
          .withParameters(parameters)
          .execute();
      flash.addFlashAttribute("notice", "The referring team has been asked for more information.");
    } catch (BaseServerResponseException refused) {
      flash.addFlashAttribute("errors", Problems.of(refused));
    }
    return "redirect:/specialist/referrals/" + id;
  }

  @GetMapping("/packets/open")
  String openPacketForm() {
    return "specialist/open-packet";
  }

  /** A packet file received by other means (mail, a portal), verified and shown like any other. */
  @PostMapping("/packets/open")
  String openPacket(@RequestParam("packet") MultipartFile file, Model model) throws IOException {
    Bundle packet;
    try {
      packet =
          api.fhir()
              .newJsonParser()
              .parseResource(Bundle.class, new String(file.getBytes(), StandardCharsets.UTF_8));
    } catch (DataFormatException | ClassCastException e) {
      model.addAttribute(
          "errors", List.of("That file is not a FHIR Bundle in JSON: " + e.getMessage()));
      return "specialist/open-packet";
    }
    model.addAttribute("packet", PacketView.of(packet, verify(packet)));
    model.addAttribute("fileName", file.getOriginalFilename());
    return "specialist/uploaded-packet";
  }

  private String move(
      SignedInUser user, String id, TaskStatus status, String reason, RedirectAttributes flash) {
    Task task = referrals.owned(user, id);
    task.setStatus(status);
    if (reason != null) {
      task.getStatusReason().setText(reason);
    }
    try {
      api.client().update().resource(task).withId(task.getIdElement()).execute();
    } catch (BaseServerResponseException refused) {
      flash.addFlashAttribute("errors", Problems.of(refused));
    }
    return "redirect:/specialist/referrals/" + id;
  }

  private Bundle read(IdType id) {
    return api.client()
        .read()
        .resource(Bundle.class)
        .withId(id.toUnqualifiedVersionless())
        .execute();
  }

  private Parameters verify(Bundle packet) {
    return api.client()
        .operation()
        .onType(Bundle.class)
        .named("$verify-signature")
        .withParameter(Parameters.class, "resource", packet)
        .execute();
  }

  /** A large attachment the packet links to on SecondLook, as a Binary. */
  private byte[] stayedOnSecondLook(Attachment attachment) {
    if (!attachment.hasUrl() || !attachment.getUrl().contains("/Binary/")) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "the attachment is not held here");
    }
    String id = attachment.getUrl().substring(attachment.getUrl().lastIndexOf("/Binary/") + 8);
    return api.client().read().resource(Binary.class).withId(id).execute().getContent();
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(ZoneId.systemDefault()));
  }
}
