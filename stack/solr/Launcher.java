// Starts a real Apache Solr 9 (SolrDispatchFilter behind Jetty) on 127.0.0.1 from Maven Central jars.
// Single-file source launch, no build step:
//   java -cp "$CLASSPATH" Launcher.java <solr-home> <port>
// The stack script (scripts/stack) builds the classpath and the Solr home and polls readiness.
import java.nio.file.Path;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class Launcher {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    System.setProperty("jetty.host", "127.0.0.1");
    System.setProperty("host", "127.0.0.1");
    JettyConfig config = JettyConfig.builder().setContext("/solr").setPort(port).build();
    JettySolrRunner runner = new JettySolrRunner(home.toString(), config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        runner.stop();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }));
    runner.start();
    System.out.println("Solr started on http://127.0.0.1:" + runner.getLocalPort() + "/solr");
    Thread.currentThread().join();
  }
}
