package io.pgturso.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The rooms (packages) depend on each other one way only; the driver and the settings need no other room. */
@AnalyzeClasses(packages = "io.pgturso", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {
    /** The rooms that read, write, check or wire (cdc: the event-driven source to come): none below may need them. */
    private static final String[] READ_CHECK_AND_WIRE = {"io.pgturso.pass..", "io.pgturso.cdc..", "io.pgturso.deadletter..",
        "io.pgturso.verify..", "io.pgturso.reconcile..", "io.pgturso.ops..", "io.pgturso.cli..", "io.pgturso.app.."};

    @ArchTest
    static final ArchRule no_two_rooms_depend_on_each_other = slices().matching("io.pgturso.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule the_driver_imports_nothing_of_the_sync = noClasses().that().resideInAPackage("io.pgturso.libsql..")
            .should().dependOnClassesThat(otherRoomsThan("io.pgturso.libsql.."));

    @ArchTest
    static final ArchRule the_protocol_layer_needs_no_jdbc = noClasses().that().resideInAPackage("io.pgturso.libsql.hrana..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "io.pgturso.libsql.jdbc..");

    @ArchTest
    static final ArchRule the_settings_need_no_other_room = noClasses().that().resideInAPackage("io.pgturso.config..")
            .should().dependOnClassesThat(otherRoomsThan("io.pgturso.config.."));

    @ArchTest
    static final ArchRule types_source_transform_and_target_serve_every_way_of_reading = noClasses().that()
            .resideInAnyPackage("io.pgturso.types..", "io.pgturso.source..", "io.pgturso.transform..", "io.pgturso.target..")
            .should().dependOnClassesThat().resideInAnyPackage(READ_CHECK_AND_WIRE);

    private static DescribedPredicate<JavaClass> otherRoomsThan(String room) {
        return resideInAPackage("io.pgturso..").and(not(resideInAPackage(room))).as("classes of the sync outside " + room);
    }
}
