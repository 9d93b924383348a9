package dev.argon.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code argon tag create|list|delete}. */
@Command(name = "tag", mixinStandardHelpOptions = true, description = "Immutable names for a branch at a point (readable as db~tag).",
        subcommands = {TagCommand.Create.class, TagCommand.ListTags.class, TagCommand.Delete.class})
public final class TagCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code argon tag create NAME [--branch REF]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Tag a branch head or a point.")
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", description = "tag name")
        String name;

        @Option(names = {"--branch", "--ref"}, defaultValue = "main", description = "ref to tag (default: ${DEFAULT-VALUE}); NAME@LSN or NAME@TIME for a point")
        String ref;

        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            Document r = client.admin(new Document("createTag", name).append("ref", ref));
            if (client.json) {
                r.remove("ok");
                Output.json(System.out, r);
            } else {
                System.out.println("tagged " + Output.str(r.get("branch")) + " at lsn " + r.get("lsn") + " as " + name);
            }
            return 0;
        }
    }

    /** {@code argon tag list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tags.")
    static final class ListTags implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            Document r = client.admin(new Document("listTags", 1));
            if (client.json) {
                r.remove("ok");
                Output.json(System.out, r);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Document t : r.getList("tags", Document.class)) {
                rows.add(List.of(t.getString("name"), Output.str(t.get("branch")), Output.str(t.get("lsn")), Output.str(t.get("createdAt"))));
            }
            Output.table(System.out, List.of("NAME", "BRANCH", "LSN", "CREATED"), rows);
            return 0;
        }
    }

    /** {@code argon tag delete NAME}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a tag.")
    static final class Delete implements Callable<Integer> {
        @Parameters(index = "0", description = "tag to delete")
        String name;

        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            client.admin(new Document("dropTag", name));
            if (client.json) {
                Output.json(System.out, new Document("deleted", name));
            } else {
                System.out.println("deleted tag " + name);
            }
            return 0;
        }
    }
}
