package io.duet.admin.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link JsonDiff}: objects by field, lists of named elements by identity, other lists by index. */
class JsonDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    private static List<String> lines(String from, String to) throws Exception {
        return JsonDiff.diff(json(from), json(to)).stream()
                .map(c -> c.op() + " " + c.path() + (c.from() == null ? "" : " " + c.from())
                        + (c.to() == null ? "" : " " + c.to()))
                .toList();
    }

    /** Inserting a route first is one addition: the routes below it keep their identity (no rename shown). */
    @Test
    void routeInsertedFirstIsOneAddition() throws Exception {
        String before = "{'routes':[{'name':'api','pool':'a'},{'name':'web','pool':'w'}]}";
        String after = "{'routes':[{'name':'new','pool':'n'},{'name':'api','pool':'a'},{'name':'web','pool':'w'}]}";
        assertThat(lines(before, after)).containsExactly("add $.routes[0] {\"name\":\"new\",\"pool\":\"n\"}");
    }

    /** A named element that changed is reported at its new index; one removed at its old index. */
    @Test
    void changedAndRemovedElementsByName() throws Exception {
        String before = "{'pools':[{'name':'a','port':1},{'name':'b','port':2},{'name':'c','port':3}]}";
        String after = "{'pools':[{'name':'a','port':1},{'name':'c','port':4}]}";
        assertThat(lines(before, after)).containsExactly("remove $.pools[1] {\"name\":\"b\",\"port\":2}",
                "replace $.pools[1].port 3 4");
    }

    /** Servers are named by their id, VIPs by their address. */
    @Test
    void serversByIdAndVipsByAddress() throws Exception {
        String before = "{'servers':[{'id':'s1','weight':1}],'vips':[{'address':'10.0.0.1'}]}";
        String after = "{'servers':[{'id':'s0','weight':5},{'id':'s1','weight':2}],"
                + "'vips':[{'address':'10.0.0.2'},{'address':'10.0.0.1'}]}";
        assertThat(lines(before, after)).containsExactly(
                "add $.servers[0] {\"id\":\"s0\",\"weight\":5}",
                "replace $.servers[1].weight 1 2",
                "add $.vips[0] {\"address\":\"10.0.0.2\"}");
    }

    /** Order matters (the first matching route wins): an element that changed place is reported as a move. */
    @Test
    void reorderIsAMove() throws Exception {
        String before = "{'routes':[{'name':'a'},{'name':'b'},{'name':'c'}]}";
        String after = "{'routes':[{'name':'c'},{'name':'a'},{'name':'b'}]}";
        assertThat(lines(before, after)).containsExactly("move $.routes[0] \"$.routes[2]\" \"$.routes[0]\"");
    }

    /** Lists of plain values, or of objects without a unique identity, are compared by index. */
    @Test
    void otherListsByIndex() throws Exception {
        assertThat(lines("{'hostnames':['a','b']}", "{'hostnames':['x','a','b']}")).containsExactly(
                "replace $.hostnames[0] \"a\" \"x\"", "replace $.hostnames[1] \"b\" \"a\"", "add $.hostnames[2] \"b\"");
        assertThat(lines("{'r':[{'name':'a'},{'name':'a'}]}", "{'r':[{'name':'b'},{'name':'a'}]}"))
                .containsExactly("replace $.r[0].name \"a\" \"b\"");
    }

    @Test
    void equalDocumentsHaveNoChange() throws Exception {
        assertThat(lines("{'a':[{'name':'x','v':[1,2]}],'b':{'c':true}}", "{'a':[{'name':'x','v':[1,2]}],'b':{'c':true}}"))
                .isEmpty();
    }
}
