package health.secondlook.server.signing;

import ca.uhn.fhir.parser.json.BaseJsonLikeWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.erdtman.jcs.NumberToJSON;

/**
 * Receives HAPI's JSON encoding of a resource and writes its RFC 8785 (JCS) canonical form as
 * UTF-8: members sorted by UTF-16 code units, no whitespace, ECMAScript string escaping and number
 * formatting (the latter by {@code java-json-canonicalization}'s {@link NumberToJSON}).
 *
 * <p>It produces the same bytes as {@code new JsonCanonicalizer(hapiJson).getEncodedUTF8()},
 * without printing HAPI's JSON text and parsing it again: that halves the cost of signing a large
 * packet.
 */
final class CanonicalJsonWriter extends BaseJsonLikeWriter {

  private static final Object NULL = new Object();
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final Deque<Container> open = new ArrayDeque<>();
  private Container root;
  // A close estimate of the output, so the buffer for a 5 MB packet is not grown and copied.
  private long estimatedBytes;

  /**
   * The canonical bytes of everything written, once the outermost object has ended: a view of the
   * writer's buffer, not a copy, as a 5 MB copy costs what a hash of it does.
   */
  ByteBuffer toUtf8() {
    if (root == null || !open.isEmpty()) {
      throw new IllegalStateException("the JSON document is not complete");
    }
    Output out = new Output((int) Math.min(Integer.MAX_VALUE - 8, estimatedBytes + 1024));
    write(root, out);
    return out.toByteBuffer();
  }

  /**
   * Receives the canonical bytes as they are written, in order and in pieces: {@code bytes[from,
   * to)} is never changed afterwards, so another thread may read it once handed over.
   */
  interface Sink {
    void accept(byte[] bytes, int from, int to);
  }

  /** The canonical bytes, handed to {@code sink} piece by piece while they are written. */
  void writeTo(Sink sink) {
    if (root == null || !open.isEmpty()) {
      throw new IllegalStateException("the JSON document is not complete");
    }
    Output out = new Output((int) Math.min(Integer.MAX_VALUE - 8, estimatedBytes + 1024), sink);
    write(root, out);
    out.flush();
  }

  @Override
  public BaseJsonLikeWriter init() {
    return this;
  }

  @Override
  public BaseJsonLikeWriter flush() {
    return this;
  }

  @Override
  public void close() {}

  @Override
  public BaseJsonLikeWriter beginObject() {
    return push(null, new Container(true));
  }

  @Override
  public BaseJsonLikeWriter beginObject(String name) {
    return push(name, new Container(true));
  }

  @Override
  public BaseJsonLikeWriter beginArray(String name) {
    return push(name, new Container(false));
  }

  @Override
  public BaseJsonLikeWriter write(String value) {
    return add(null, value);
  }

  @Override
  public BaseJsonLikeWriter write(BigInteger value) throws IOException {
    return add(null, number(value.toString()));
  }

  @Override
  public BaseJsonLikeWriter write(BigDecimal value) throws IOException {
    return add(null, number(value.toString()));
  }

  @Override
  public BaseJsonLikeWriter write(long value) throws IOException {
    return add(null, number(Long.toString(value)));
  }

  @Override
  public BaseJsonLikeWriter write(double value) throws IOException {
    return add(null, number(Double.toString(value)));
  }

  @Override
  public BaseJsonLikeWriter write(Boolean value) {
    return add(null, value == null ? NULL : value);
  }

  @Override
  public BaseJsonLikeWriter write(boolean value) {
    return add(null, value);
  }

  @Override
  public BaseJsonLikeWriter writeNull() {
    return add(null, NULL);
  }

  @Override
  public BaseJsonLikeWriter write(String name, String value) {
    return add(name, value == null ? NULL : value);
  }

  @Override
  public BaseJsonLikeWriter write(String name, BigInteger value) throws IOException {
    return add(name, value == null ? NULL : number(value.toString()));
  }

  @Override
  public BaseJsonLikeWriter write(String name, BigDecimal value) throws IOException {
    return add(name, value == null ? NULL : number(value.toString()));
  }

  @Override
  public BaseJsonLikeWriter write(String name, long value) throws IOException {
    return add(name, number(Long.toString(value)));
  }

  @Override
  public BaseJsonLikeWriter write(String name, double value) throws IOException {
    return add(name, number(Double.toString(value)));
  }

  @Override
  public BaseJsonLikeWriter write(String name, Boolean value) {
    return add(name, value == null ? NULL : value);
  }

  @Override
  public BaseJsonLikeWriter write(String name, boolean value) {
    return add(name, value);
  }

  @Override
  public BaseJsonLikeWriter endObject() {
    return endBlock();
  }

  @Override
  public BaseJsonLikeWriter endArray() {
    return endBlock();
  }

  @Override
  public BaseJsonLikeWriter endBlock() {
    open.pop().sortMembers();
    return this;
  }

  private BaseJsonLikeWriter push(String name, Container container) {
    if (open.isEmpty()) {
      if (root != null) {
        throw new IllegalStateException("a second JSON document in one writer");
      }
      root = container;
    } else {
      add(name, container);
    }
    open.push(container);
    return this;
  }

  private BaseJsonLikeWriter add(String name, Object value) {
    Container current = open.peek();
    if (current == null) {
      throw new IllegalStateException("a JSON value outside any object or array");
    }
    current.add(name, value);
    estimatedBytes +=
        (name == null ? 1 : name.length() + 4)
            + (value instanceof String text ? text.length() + 2 : 6);
    return this;
  }

  /**
   * A JSON number as JCS prints it: parsed as an IEEE 754 double from HAPI's text, exactly as a
   * canonicaliser reading that text would, then formatted the ECMAScript way.
   */
  private static CanonicalNumber number(String text) throws IOException {
    return new CanonicalNumber(NumberToJSON.serializeNumber(Double.parseDouble(text)));
  }

  private static void write(Object value, Output out) {
    if (value instanceof String text) {
      out.string(text);
    } else if (value instanceof Container container) {
      container.write(out);
    } else if (value instanceof CanonicalNumber number) {
      out.ascii(number.text());
    } else if (value instanceof Boolean bool) {
      out.ascii(bool ? "true" : "false");
    } else {
      out.ascii("null");
    }
  }

  private record CanonicalNumber(String text) {}

  /** A JSON object (named members, sorted when it ends) or array (values in order). */
  private static final class Container {
    private final boolean object;
    private final List<String> names;
    private final List<Object> values = new ArrayList<>();
    private int[] order;

    Container(boolean object) {
      this.object = object;
      this.names = object ? new ArrayList<>() : null;
    }

    void add(String name, Object value) {
      if (object) {
        if (name == null) {
          throw new IllegalStateException("an object member without a name");
        }
        names.add(name);
      }
      values.add(value);
    }

    /** Insertion sort: FHIR objects have a handful of members. */
    void sortMembers() {
      if (!object) {
        return;
      }
      order = new int[names.size()];
      for (int i = 0; i < order.length; i++) {
        int j = i;
        // String.compareTo compares UTF-16 code units, the order RFC 8785 prescribes.
        while (j > 0 && names.get(order[j - 1]).compareTo(names.get(i)) > 0) {
          order[j] = order[j - 1];
          j--;
        }
        if (j > 0 && names.get(order[j - 1]).equals(names.get(i))) {
          throw new IllegalStateException("duplicate JSON member '" + names.get(i) + "'");
        }
        order[j] = i;
      }
    }

    void write(Output out) {
      out.write(object ? '{' : '[');
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        int index = object ? order[i] : i;
        if (object) {
          out.member(names.get(index));
        }
        CanonicalJsonWriter.write(values.get(index), out);
      }
      out.write(object ? '}' : ']');
    }
  }

  /** A growable UTF-8 buffer with JCS string escaping. */
  private static final class Output {
    // A packet repeats a few hundred member names thousands of times each.
    private final Map<String, byte[]> members = new HashMap<>();
    private static final int PIECE = 64 * 1024;
    private final Sink sink;
    private byte[] bytes;
    private int count;
    private int handedOver;

    Output(int capacity) {
      this(capacity, null);
    }

    Output(int capacity, Sink sink) {
      bytes = new byte[capacity];
      this.sink = sink;
    }

    /** Hands what is written and not yet handed over to the sink, if there is one. */
    void flush() {
      if (sink != null && count > handedOver) {
        sink.accept(bytes, handedOver, count);
        handedOver = count;
      }
    }

    void write(int b) {
      ensure(1);
      bytes[count++] = (byte) b;
    }

    void ascii(String text) {
      for (int i = 0; i < text.length(); i++) {
        write(text.charAt(i));
      }
    }

    /** {@code "name":} */
    void member(String name) {
      byte[] encoded = members.get(name);
      if (encoded == null) {
        Output single = new Output(name.length() + 8);
        single.string(name);
        single.write(':');
        encoded = single.toByteArray();
        members.put(name, encoded);
      }
      ensure(encoded.length);
      System.arraycopy(encoded, 0, bytes, count, encoded.length);
      count += encoded.length;
    }

    void string(String text) {
      ensure(text.length() + 2);
      bytes[count++] = '"';
      int start = 0;
      boolean ascii = true;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < 0x20 || c == '"' || c == '\\') {
          run(text, start, i, ascii);
          escape(c);
          start = i + 1;
          ascii = true;
        } else if (c >= 0x80) {
          ascii = false;
        }
      }
      run(text, start, text.length(), ascii);
      write('"');
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, count);
    }

    ByteBuffer toByteBuffer() {
      return ByteBuffer.wrap(bytes, 0, count);
    }

    /**
     * Copies a run without escapes. Scanning chars and copying ASCII runs byte for byte is the
     * fastest way here: most of a packet's bytes are long base64 strings.
     */
    @SuppressWarnings("deprecation") // this getBytes is exact for ASCII, and a plain copy
    private void run(String text, int from, int to, boolean ascii) {
      if (from == to) {
        return;
      }
      if (ascii) {
        ensure(to - from);
        text.getBytes(from, to, bytes, count);
        count += to - from;
      } else {
        byte[] encoded = text.substring(from, to).getBytes(StandardCharsets.UTF_8);
        ensure(encoded.length);
        System.arraycopy(encoded, 0, bytes, count, encoded.length);
        count += encoded.length;
      }
    }

    private void escape(char c) {
      write('\\');
      switch (c) {
        case '"' -> write('"');
        case '\\' -> write('\\');
        case '\b' -> write('b');
        case '\t' -> write('t');
        case '\n' -> write('n');
        case '\f' -> write('f');
        case '\r' -> write('r');
        default -> {
          write('u');
          write('0');
          write('0');
          write(HEX[c >> 4]);
          write(HEX[c & 0xf]);
        }
      }
    }

    private void ensure(int more) {
      if (count - handedOver >= PIECE) {
        flush();
      }
      if (count + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
      }
    }
  }
}
