// EPUBCheck for many books in one Java virtual machine: starting the JVM and
// loading EPUBCheck's schemas costs more than checking one of our books, and
// the test suite checks some twenty. tests/checkers/epub.py runs this file.
//
// Each request is one line on stdin: the arguments of one `epubcheck` command,
// separated by NUL characters. Each is run exactly as the command line runs it
// (com.adobe.epubcheck.tool.EpubChecker, a new one per request), and answered
// on stdout with one line "<exit status> <byte count>" followed by that many
// bytes: what the run wrote to its stdout and stderr. EOF on stdin ends it.

import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckBatch {
    public static void main(String[] args) throws Exception {
        OutputStream answers = System.out;
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = requests.readLine()) != null) {
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            PrintStream capture = new PrintStream(said, true, StandardCharsets.UTF_8);
            System.setOut(capture);
            System.setErr(capture);
            int status;
            try {
                status = new EpubChecker().run(line.split("\0", -1));
            } catch (Throwable error) {  // a crash answers, like the command's own exit would
                error.printStackTrace(capture);
                status = 70;
            }
            capture.flush();
            byte[] output = said.toByteArray();
            answers.write((status + " " + output.length + "\n").getBytes(StandardCharsets.UTF_8));
            answers.write(output);
            answers.flush();
        }
    }
}
